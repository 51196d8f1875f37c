"""``helpline kb gaps`` on a real SQLite database, with the real model."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bots.bootstrap import open_stores
from bots.cli import run
from config.settings import load_settings
from core.knowledge.gap_records import GapQuestion, GapReason
from core.messages import Address
from core.ports import Embedder

pytestmark = pytest.mark.model

REGIONS = ("Can I deploy to a region in Europe?", "is there a Frankfurt data centre", "we need EU data residency")
CRON = ("How do I run a cron job?", "scheduled tasks every night at 2am", "crontab support?", "run a script hourly")


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, real_embedder: Embedder) -> Path:
    """An empty data directory; the CLI shares the session's model instance."""
    monkeypatch.setenv("HELPLINE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


async def _seed() -> None:
    """Four community questions about cron jobs, three enterprise ones about regions, one from long ago."""
    stores, engine = await open_stores(load_settings(None))
    now = datetime.now(UTC)
    asked = [(text, "community", now - timedelta(days=2)) for text in CRON]
    asked += [(text, "enterprise", now - timedelta(days=1)) for text in REGIONS]
    asked.append(("<b>old</b> cron question", "community", now - timedelta(days=60)))
    try:
        for n, (text, tier, at) in enumerate(asked):
            thread = Address("slack", "T1", "C1", f"1.{n}")
            await stores.gaps.record(GapQuestion(thread, f"slack:U{n}", tier, text, GapReason.NOT_SURE, at))
    finally:
        await engine.dispose()


def test_gaps_are_listed_heaviest_first_as_json_and_as_text(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    asyncio.run(_seed())
    assert run(["kb", "gaps", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert (doc["questions"], len(doc["gaps"])) == (7, 2)
    regions, cron = doc["gaps"]  # 3 enterprise questions (weight 12) before 4 community ones (weight 4)
    assert (regions["size"], regions["people"], regions["weight"], regions["tiers"]) == (3, 3, 12.0, {"enterprise": 3})
    assert set(regions["representatives"]) == set(REGIONS)
    assert (cron["size"], cron["weight"], cron["reasons"]) == (4, 4.0, {"not_sure": 4})
    assert regions["covered"] is None  # no knowledge index built here
    assert run(["kb", "gaps"]) == 0
    out = capsys.readouterr().out
    assert "Knowledge gaps, last 30d: 7 questions, 2 gaps, 0 questions in none." in out
    assert "1. 3 questions from 3 people, weight 12 (enterprise 3)" in out
    assert "   - is there a Frankfurt data centre" in out
    assert run(["kb", "gaps", "--since", "90d"]) == 0
    assert "8 questions" in capsys.readouterr().out  # the old one now counts (and is noise or joins cron)


def test_a_bad_period_or_format_is_refused_with_the_option_named(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["kb", "gaps", "--since", "soon"]) != 0
    assert "--since" in capsys.readouterr().err
    assert run(["kb", "gaps", "--format", "xml"]) != 0
    assert "--format must be text or json" in capsys.readouterr().err
