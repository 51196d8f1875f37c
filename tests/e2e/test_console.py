"""Whole conversations in ``helpline chat --json``, on the real model, sample knowledge base and SQLite."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bots.cli import run
from kb_index.knowledge_base import KnowledgeBase

pytestmark = pytest.mark.model

HELPLINE = Path(sys.executable).parent / "helpline"


@pytest.fixture(scope="session")
def shared_data(sample_kb: KnowledgeBase, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory with the sample index already built (copied from the session's index)."""
    data = tmp_path_factory.mktemp("console-data")
    shutil.copytree(sample_kb.directory, data / "kb")
    return data


@pytest.fixture
def database(tmp_path: Path, shared_data: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh ticket database for each conversation; the model and index are shared."""
    path = tmp_path / "tickets.sqlite3"
    monkeypatch.setenv("HELPLINE_DATA_DIR", str(shared_data))
    monkeypatch.setenv("HELPLINE_SUPPORT__DATABASE_URL", f"sqlite+aiosqlite:///{path}")
    monkeypatch.chdir(tmp_path)
    return path


def converse(
    lines: list[str], *options: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> list[dict[str, Any]]:
    """Pipe ``lines`` into ``helpline chat --json`` in this process and return its outputs."""
    monkeypatch.setattr(sys, "stdin", io.StringIO("".join(line + "\n" for line in lines)))
    assert run(["chat", "--json", *options]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


@pytest.mark.usefixtures("database")
def test_a_question_is_answered_from_the_docs_with_its_source(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    [answer] = converse(["how can I point my own domain at my app?"], monkeypatch=monkeypatch, capsys=capsys)
    assert answer["kind"] == "answer" and answer["intent"] == "how_to_question"
    assert answer["citation"] == "https://docs.tideline.example/getting-started/add-a-custom-domain"
    assert [c["label"] for c in answer["choices"]] == ["Helpful", "Not helpful", "Talk to a human"]
    assert answer["ticket"] is None


@pytest.mark.usefixtures("database")
def test_not_helpful_opens_a_ticket(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    answer, ticket = converse(["how can I point my own domain at my app?", "2"], monkeypatch=monkeypatch, capsys=capsys)
    assert answer["kind"] == "answer"
    assert ticket["kind"] == "ticket" and ticket["ticket"] == 1
    assert ticket["text"].startswith("Marked not helpful. Ticket #1, low:")  # community how-to: low, 1 week
    assert "within 1 week" in ticket["text"]


@pytest.mark.usefixtures("database")
def test_enterprise_outage_is_critical_and_escalates_once(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = ["our production API is down, every request fails with 503", "/wait 1h", "/wait 2h", "/wait 3h"]
    out = converse(lines, "--tier", "enterprise", monkeypatch=monkeypatch, capsys=capsys)
    ticket = out[0]
    assert ticket["kind"] == "ticket" and ticket["intent"] == "service_down"
    assert ticket["text"] == "Ticket #1, critical: an engineer will reply within 2 hours."
    # Changed with the SLA engine: the enterprise chain notifies L1 at the breach (2 h), L2 an hour
    # later and L3 two hours after that: each level once, in order.
    escalations = [o for o in out if o["kind"] == "escalation"]
    assert [level_of(o["text"]) for o in escalations] == [1, 2, 3]
    assert all(o["ticket"] == 1 and o["to"] == "console" for o in escalations)
    assert "customer success manager" in escalations[0]["text"]
    # The first notice came after the second wait (3 h in), not after the first (1 h in).
    kinds = [o["kind"] for o in out]
    assert kinds.index("escalation") > [i for i, o in enumerate(out) if "time passes" in o["text"]][1]


@pytest.mark.usefixtures("database")
def test_moderator_claims_replies_and_resolves(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [
        "the app crashes every time I deploy, this is a bug",
        "/claim 1",
        "/reply 1 We found the bug and shipped a fix",
        "/resolve 1",
        "/ticket 1",
    ]
    out = converse(
        lines, "--moderator", "--user", "sam", "--tier", "enterprise", monkeypatch=monkeypatch, capsys=capsys
    )
    assert out[0]["kind"] == "ticket" and out[0]["ticket"] == 1
    texts = [o["text"] for o in out]
    assert "You claimed ticket #1." in texts
    delivered = [o for o in out if o["to"] is not None and "We found the bug" in o["text"]]
    assert len(delivered) == 1 and delivered[0]["to"].startswith("console:local/terminal/sam-")
    assert any(
        t.startswith("Sent to the customer on ticket #1. First response recorded, within the SLA") for t in texts
    )
    assert "Ticket #1 resolved." in texts
    shown = out[-1]["text"]
    assert "resolved" in shown.splitlines()[1] and "assignee sam" in shown
    assert "claimed" in shown and "replied" in shown


@pytest.mark.usefixtures("database")
def test_a_non_moderator_is_refused_and_nothing_changes(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = converse(["the app crashes every time I deploy", "/resolve 1"], monkeypatch=monkeypatch, capsys=capsys)
    assert out[-1]["kind"] == "error" and "Only moderators" in out[-1]["text"]
    [shown] = converse(["/ticket 1"], "--moderator", monkeypatch=monkeypatch, capsys=capsys)
    assert shown["text"].splitlines()[1].startswith("new ·")
    assert "resolved" not in shown["text"]


@pytest.mark.usefixtures("database")
def test_a_broken_tiers_file_is_named_at_start_up(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tiers = tmp_path / "tiers.yaml"
    tiers.write_text("version: 1\ndefault_tier: community\ntiers:\n  community:\n    label: 3\n", encoding="utf-8")
    Path("helpline.yaml").write_text(f"support:\n  tiers_file: {tiers}\n", encoding="utf-8")
    assert run(["chat", "--json"]) == 2
    err = capsys.readouterr().err
    assert str(tiers) in err and "tiers.community" in err


def test_an_escalation_survives_a_restart_without_firing_twice(database: Path, shared_data: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "SLACK_", "GITHUB_"))}
    env |= {"HF_HUB_OFFLINE": "1"}

    def process(lines: list[str]) -> list[dict[str, Any]]:
        result = subprocess.run(
            [str(HELPLINE), "chat", "--json", "--tier", "enterprise"],
            input="".join(line + "\n" for line in lines),
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        return [json.loads(line) for line in result.stdout.splitlines()]

    first = process(["our whole site is down, nothing loads", "/wait 3h"])
    assert [level_of(o["text"]) for o in first if o["kind"] == "escalation"] == [1, 2]  # breach at 2 h, L2 at 3 h
    second = process(["/wait 3h", "/wait 3h"])  # a new process: 3 h and 6 h after the ticket opened
    assert [level_of(o["text"]) for o in second if o["kind"] == "escalation"] == [3]  # never 1 or 2 again


def level_of(text: str) -> int:
    """The chain level an escalation notice names."""
    match = re.search(r"Escalation \(level (\d+)", text)
    assert match is not None, text
    return int(match.group(1))
