"""``helpline kb needs-update`` on a real SQLite database."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bots.bootstrap import open_stores
from bots.cli import run
from config.settings import load_settings
from core.knowledge.records import PassageVote, Vote
from core.messages import Address


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HELPLINE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


async def _seed(days_ago: float) -> None:
    """Three threads that found the billing article not helpful, one that found it helpful."""
    stores, engine = await open_stores(load_settings(None))
    try:
        at = datetime.now(UTC) - timedelta(days=days_ago)
        for n, vote in enumerate((Vote.NOT_HELPFUL, Vote.NOT_HELPFUL, Vote.NOT_HELPFUL, Vote.HELPFUL)):
            thread = Address("slack", "T1", "C1", f"1.{n}")
            question = f"<b>invoice</b> question {n}"
            await stores.feedback.vote(
                PassageVote(thread, "billing#0", "https://docs/billing", "Billing", question, vote, at)
            )
    finally:
        await engine.dispose()


def test_needs_update_lists_the_article_with_its_failed_questions(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    asyncio.run(_seed(days_ago=2))
    assert run(["kb", "needs-update", "--format", "json"]) == 0
    [review] = json.loads(capsys.readouterr().out)
    assert (review["url"], review["not_helpful"], review["helpful"], review["not_helpful_share"]) == (
        "https://docs/billing",
        3,
        1,
        0.75,
    )
    assert sorted(review["failed_questions"]) == [f"<b>invoice</b> question {n}" for n in range(3)]
    assert run(["kb", "needs-update"]) == 0
    out = capsys.readouterr().out
    assert "Billing <https://docs/billing>: 3 not helpful of 4 votes" in out
    assert "  - <b>invoice</b> question 0" in out
    assert run(["kb", "needs-update", "--since", "1d"]) == 0
    assert "No article needs an update (last 1d)." in capsys.readouterr().out


def test_needs_update_refuses_a_bad_period_or_format(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["kb", "needs-update", "--since", "soon"]) != 0
    assert "--since" in capsys.readouterr().err
    assert run(["kb", "needs-update", "--format", "xml"]) != 0
    assert "--format must be text or json" in capsys.readouterr().err
