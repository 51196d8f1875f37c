"""``helpline journeys preview``: who would get which step when, from the store, with nothing sent."""

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
from core.customers.journeys import JourneyStart, progress_of
from core.messages import DISCORD, Address


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Each test on its own empty database, with the shipped settings."""
    monkeypatch.setenv("HELPLINE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    yield tmp_path / "data"


async def _started(person: str) -> int:
    stores, engine = await open_stores(load_settings(None))
    try:
        now = datetime.now(UTC)
        start = JourneyStart(person, Address(DISCORD, "900"), "enterprise", now, "discord_join", "Ana")
        await stores.journeys.start(progress_of(start))
        return len(await stores.outbox.outbox())
    finally:
        await engine.dispose()


def test_the_preview_lists_the_due_steps_and_sends_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    assert asyncio.run(_started("discord:501")) == 0
    assert run(["journeys", "preview", "--days", "2", "--format", "json"]) == 0
    steps = json.loads(capsys.readouterr().out)["steps"]
    assert [(s["person"], s["step"]) for s in steps] == [("discord:501", "welcome"), ("discord:501", "first steps")]
    assert run(["journeys", "preview", "--days", "2"]) == 0
    assert "discord:501  enterprise  welcome" in capsys.readouterr().out
    assert asyncio.run(_started("discord:502")) == 0  # the outbox is still empty: the preview queued nothing
