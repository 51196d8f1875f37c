"""``helpline guard log``: the spam guard's actions, read from the database, newest first."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bots.bootstrap import open_stores
from bots.cli import run
from config.settings import load_settings
from core.community.records import GuardAction


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Each test on its own empty database, with the shipped settings."""
    monkeypatch.setenv("HELPLINE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    yield tmp_path / "data"


async def _recorded(count: int) -> None:
    stores, engine = await open_stores(load_settings(None))
    try:
        at = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)
        for n in range(count):
            action = GuardAction(
                at + timedelta(seconds=n), "discord:7", "discord:1/2/3", f"m{n}", "flood", ("delete", "hide"),
                f"6 messages within 15s: “buy {n}”", "discord:7@x",
            )  # fmt: skip
            await stores.guard.record(action, None)
    finally:
        await engine.dispose()


def test_the_log_lists_the_newest_actions_with_their_evidence(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["guard", "log"]) == 0
    assert "has done nothing yet" in capsys.readouterr().out
    asyncio.run(_recorded(3))
    assert run(["guard", "log", "--limit", "2"]) == 0
    out = capsys.readouterr().out
    assert "2026-12-04 12:00:02 UTC  discord:7  flood  delete+hide" in out and "buy 2" in out and "buy 0" not in out
    assert run(["guard", "log", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["actions"]
    assert [r["message_id"] for r in rows] == ["m2", "m1", "m0"] and rows[0]["acts"] == ["delete", "hide"]
