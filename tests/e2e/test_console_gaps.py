"""Questions the docs cannot answer, asked in ``helpline chat``, come back as a gap in ``helpline kb gaps``.

The real model, the sample knowledge base and SQLite, as a customer and a support lead use them.
"""

from __future__ import annotations

import io
import json
import shutil
import sys
from pathlib import Path

import pytest

from bots.cli import run
from kb_index.knowledge_base import KnowledgeBase

SAMPLE_KB = Path(__file__).resolve().parents[2] / "kb_index" / "sample_kb"
DARK_MODE_ARTICLE = """---
title: Dark mode in the dashboard
url: https://docs.tideline.example/account/dark-mode
---
# Dark mode in the dashboard

The Tideline dashboard and web console have a dark theme. To turn dark mode on, open **Settings → Appearance**
and choose **Dark**; choose **Automatic** to follow your operating system's dark mode setting.
"""

pytestmark = pytest.mark.model

# Asked as how-to questions: a wish ("can you add dark mode") is offered as a feature request, not a gap.
DARK = (
    "how do I switch the web console to a dark theme",
    "dark mode setting where",
    "where is the dark theme option in the dashboard settings",
    "how to turn on dark mode in the dashboard",
)
CRON = ("How do I run a cron job?", "scheduled tasks every night at 2am", "crontab support?")


@pytest.fixture
def home(sample_kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data directory holding a copy of the session's sample index, and a fresh database."""
    shutil.copytree(sample_kb.directory, tmp_path / "data" / "kb")
    monkeypatch.setenv("HELPLINE_DATA_DIR", str(tmp_path / "data"))
    # The expected clusters were measured on the torch backend the session's index was built with.
    monkeypatch.setenv("HELPLINE_MODEL__BACKEND", "torch")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def chat(lines: tuple[str, ...], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> list[str]:
    """Type ``lines`` into ``helpline chat --json``; the kinds of the replies."""
    monkeypatch.setattr(sys, "stdin", io.StringIO("".join(line + "\n" for line in lines)))
    assert run(["chat", "--json"]) == 0
    return [json.loads(line)["kind"] for line in capsys.readouterr().out.splitlines()]


@pytest.mark.usefixtures("home")
def test_unanswered_questions_asked_in_chat_show_up_as_gaps(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    kinds = chat(DARK + CRON, monkeypatch, capsys)
    assert kinds == ["info"] * len(DARK + CRON)  # "not sure" or "nothing in the docs", every time
    assert run(["kb", "gaps", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["questions"] == 7
    dark, cron = doc["gaps"]
    assert (dark["size"], dark["people"], dark["tiers"]) == (4, 1, {"community": 4})
    assert set(dark["representatives"]) <= set(DARK) and len(dark["representatives"]) == 3
    assert set(cron["representatives"]) == set(CRON)
    assert dark["covered"] is False and cron["covered"] is False  # the sample docs say nothing of either
    assert set(dark["reasons"]) <= {"not_sure", "no_answer"}
    assert run(["kb", "gaps"]) == 0
    assert "1. 4 questions from 1 person, weight 4 (community 4)" in capsys.readouterr().out


@pytest.mark.usefixtures("home")
def test_an_article_published_afterwards_marks_its_gap_covered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    chat(DARK + CRON, monkeypatch, capsys)
    docs = tmp_path / "docs"
    shutil.copytree(SAMPLE_KB, docs)
    (docs / "account" / "dark-mode.md").write_text(DARK_MODE_ARTICLE, encoding="utf-8")
    assert run(["kb", "build", str(docs), "--replace"]) == 0  # only the new article is embedded
    capsys.readouterr()
    assert run(["kb", "gaps", "--format", "json"]) == 0
    dark, cron = json.loads(capsys.readouterr().out)["gaps"]
    assert dark["covered"] is True
    assert dark["covered_by"]["url"] == "https://docs.tideline.example/account/dark-mode"
    assert cron["covered"] is False
