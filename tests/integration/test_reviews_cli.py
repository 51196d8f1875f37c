"""``helpline reviews scores`` on a real SQLite database: each agent's count and averages, as text and JSON."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bots.bootstrap import open_stores
from bots.cli import run
from config.settings import load_settings
from core.reviews.records import Review


async def _seed() -> None:
    stores, engine = await open_stores(load_settings(None))
    now = datetime.now(UTC)
    try:
        for ticket, agent, accuracy, at in ((1, "slack:U1", 4, now), (2, "slack:U1", 3, now), (3, "slack:U2", 5, now)):
            scores = {"accuracy": accuracy, "tone": 5, "speed": 4, "resolution": 4}
            await stores.reviews.save(Review(ticket, "slack:ULEAD", agent, scores, "", at), [])
        old = {"accuracy": 1, "tone": 1, "speed": 1, "resolution": 1}
        await stores.reviews.save(Review(4, "slack:ULEAD", "slack:U2", old, "", now - timedelta(days=60)), [])
    finally:
        await engine.dispose()


def test_reviews_scores_as_text_and_json(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HELPLINE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    asyncio.run(_seed())
    assert run(["reviews", "scores"]) == 0
    text = capsys.readouterr().out
    assert "U1 on Slack: 2 reviewed; accuracy 3.5, tone 5.0, speed 4.0, resolution 4.0" in text
    assert "U2 on Slack: 1 reviewed" in text  # the review of 60 days ago is outside the 30-day window
    assert run(["reviews", "scores", "--format", "json", "--since", "90d"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["days"] == 90 and doc["criteria"] == ["accuracy", "tone", "speed", "resolution"]
    assert [(a["agent"], a["reviews"]) for a in doc["agents"]] == [("slack:U1", 2), ("slack:U2", 2)]
    assert run(["reviews", "scores", "--format", "xml"]) == 2
    assert "not a format" in capsys.readouterr().err
    assert run(["reviews", "scores", "--since", "soon"]) == 2
    assert "--since" in capsys.readouterr().err
