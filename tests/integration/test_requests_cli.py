"""``helpline requests list|show|status|merge|unmerge`` on a real SQLite database in a temporary data folder."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bots.bootstrap import open_stores
from bots.cli import run
from config.settings import load_settings
from core.messages import Address
from core.requests.records import NewRequest, Requester

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Each test on its own empty database, with the shipped settings."""
    monkeypatch.setenv("HELPLINE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    yield tmp_path / "data"


def _person(name: str, thread: str) -> Requester:
    return Requester(f"slack:{name}", name.title(), f"slack:{name}", "community", Address("slack", "T1", "C1", thread))


async def _seed() -> list[str]:
    """Two requests: #1 by ana (bob votes too), #2 by cy; then what the outbox holds, by thread."""
    stores, engine = await open_stores(load_settings(None))
    try:
        for title, who, thread in (("Dark mode for the dashboard", "ana", "t1"), ("Night theme", "cy", "t3")):
            draft = await stores.feature_requests.draft(NewRequest(title, title, _person(who, thread), T0))
            await stores.feature_requests.file_draft(draft.id, f"slack:{who}")
        await stores.feature_requests.vote(1, _person("bob", "t2"), T0)
        return [item.outbound.address.thread for item in await stores.outbox.outbox()]
    finally:
        await engine.dispose()


async def _queued() -> list[tuple[str, str]]:
    stores, engine = await open_stores(load_settings(None))
    try:
        return [(i.outbound.address.thread, i.outbound.reply.text) for i in await stores.outbox.outbox()]
    finally:
        await engine.dispose()


def test_list_show_status_merge_and_unmerge(capsys: pytest.CaptureFixture[str]) -> None:
    assert asyncio.run(_seed()) == []
    assert run(["requests", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["#", "STATUS", "VOTES", "ACCOUNTS", "SCORE", "30", "DAYS", "TITLE"]
    assert lines[1].split()[:5] == ["1", "open", "2", "2", "2"] and lines[1].endswith("Dark mode for the dashboard")

    assert run(["requests", "status", "1", "planned", "--note", "Shipping in May"]) == 0
    assert "now planned (was open); 2 people will be told" in capsys.readouterr().out
    queued = asyncio.run(_queued())
    assert sorted(thread for thread, _ in queued) == ["t1", "t2"]
    assert all("is planned (was open). Note from the team: Shipping in May" in text for _, text in queued)

    assert run(["requests", "merge", "2", "1"]) == 0
    assert "#2 is merged into #1, which now has 3 votes" in capsys.readouterr().out
    assert run(["requests", "show", "1", "--format", "json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert (shown["status"], shown["votes"], shown["merged"], shown["note"]) == ("planned", 3, [2], "Shipping in May")
    assert [(h["old"], h["new"]) for h in shown["history"]] == [("open", "planned")]
    assert shown["history"][0]["by"].startswith("cli:")

    assert run(["requests", "unmerge", "2"]) == 0
    assert "#2 is its own request again (open), with 1 vote" in capsys.readouterr().out
    assert run(["requests", "list", "--status", "open", "--format", "json"]) == 0
    assert [r["number"] for r in json.loads(capsys.readouterr().out)] == [2]
    assert run(["requests", "show", "2"]) == 0
    assert capsys.readouterr().out.startswith("#2 Night theme (open) — 1 vote")


def test_mistakes_say_what_is_wrong_and_change_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    asyncio.run(_seed())
    assert run(["requests", "status", "1", "shipped"]) == 2
    assert "'shipped' is not a status; use open, planned, started, completed, declined" in capsys.readouterr().err
    assert run(["requests", "status", "9", "planned"]) == 2
    assert "There is no feature request #9." in capsys.readouterr().err
    assert run(["requests", "merge", "1", "1"]) == 2
    assert "cannot be merged into itself" in capsys.readouterr().err
    assert run(["requests", "list", "--format", "xml"]) == 2
    assert asyncio.run(_queued()) == []
    assert run(["requests", "list"]) == 0
    assert "open" in capsys.readouterr().out
