"""``helpline report`` on a real SQLite database: its formats, its files, and a clear line for each mistake."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bots.bootstrap import open_stores
from bots.cli import run
from config.settings import load_settings
from core.messages import Address
from core.satisfaction.records import NewSurvey, SurveyKind
from core.tickets.records import NewTicket, Priority, TicketChange, TicketEvent, TicketStatus
from tests.report_schema import schema_problems


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HELPLINE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


async def _seed() -> None:
    """One enterprise ticket opened three hours ago, answered an hour later, resolved and rated 4."""
    stores, engine = await open_stores(load_settings(None))
    try:
        opened = datetime.now(UTC) - timedelta(hours=3)
        address = Address("slack", "T1", "C1", "1.1")
        draft = NewTicket("acme", "enterprise", address, "U1", "Ada", "down", None, Priority.HIGH, opened, None, None)
        ticket = await stores.tickets.open_ticket(draft, "slack:U1")
        replied = TicketEvent(ticket.number, opened + timedelta(hours=1), "slack:UMO", "replied")
        await stores.tickets.update(ticket.number, TicketChange(status=TicketStatus.WAITING), replied)
        at = opened + timedelta(hours=2)
        resolved = TicketEvent(ticket.number, at, "slack:UMO", "resolved")
        await stores.tickets.update(ticket.number, TicketChange(status=TicketStatus.RESOLVED, resolved_at=at), resolved)
        survey = NewSurvey(SurveyKind.CSAT, ticket.number, "slack", "U1", address, "enterprise", "slack:UMO", at)
        sent = await stores.surveys.send(survey)
        assert sent is not None
        await stores.surveys.answer(sent.id, 4, "quick", at + timedelta(minutes=5))
    finally:
        await engine.dispose()


def test_report_writes_each_format(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    asyncio.run(_seed())
    assert run(["report", "--since", "7d", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert schema_problems(doc) == []
    assert doc["schema_version"] == 1 and doc["tickets"]["opened"] == 1
    assert doc["first_response"]["count"] == 1 and doc["first_response"]["p50_seconds"] == 3600.0
    assert doc["csat"]["responses"] == 1 and doc["csat"]["average"] == 4.0 and doc["csat"]["satisfied_share"] == 1.0
    assert run(["report", "--format", "csv", "--out", "tickets.csv"]) == 0
    rows = list(csv.DictReader(io.StringIO((home / "tickets.csv").read_text())))
    assert len(rows) == 1 and rows[0]["tier"] == "enterprise"
    assert run(["report", "--format", "html", "--out", "report.html"]) == 0
    assert (home / "report.html").read_text().count("<svg") == 4
    assert "wrote the html report to report.html" in capsys.readouterr().err
    assert run(["report", "--tier", "enterprise"]) == 0
    assert "Tickets" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--from", "2026-13-01"], "--from '2026-13-01' is not a date like 2026-11-01"),
        (["--to", "yesterday"], "--to 'yesterday' is not a date"),
        (["--since", "30d", "--from", "2026-11-01"], "--since and --from/--to both give the period"),
        (["--since", "soon"], "--since: 'soon' is not a duration like 30m, 3h, 2d or 1w"),
        (["--from", "2026-11-10", "--to", "2026-11-01"], "--to 2026-11-01 is not after --from 2026-11-10"),
        (["--from", "2999-01-01"], "--from 2999-01-01 is not in the past"),
        (["--tier", "enterprize"], "--tier 'enterprize' is unknown (did you mean enterprise?); tiers are community"),
        (
            ["--platform", "teams"],
            "--platform 'teams' is unknown; platforms are console, discord, slack, github, email",
        ),
        (["--priority", "urgent"], "priorities are critical, high, medium, low"),
        (["--intent", "nonsense"], "--intent 'nonsense' is neither an intent nor a category"),
        (["--out", "missing/report.txt"], "the folder missing does not exist"),
        (["--out", "."], "it is a folder"),
    ],
)
def test_report_mistakes_are_one_clear_line(
    home: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert run(["report", *argv]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert not (home / "data").exists()  # refused before the database was opened


def test_report_format_must_be_known(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["report", "--format", "pdf"]) == 2
    assert "pdf" in capsys.readouterr().err
