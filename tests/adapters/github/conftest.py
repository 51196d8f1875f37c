"""The GitHub tests' world: the bot on SQLite, PyGithub pointed at a fake GitHub."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest_asyncio

from tests.adapters.github_world import World, make_world


@pytest_asyncio.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    """The bot on a fresh SQLite database and a fresh fake GitHub."""
    world = await make_world(tmp_path / "helpline.sqlite3")
    try:
        yield world
    finally:
        await world.close()
