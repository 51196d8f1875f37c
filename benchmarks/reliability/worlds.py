"""The in-process web apps the probes post into: the adapter tests' worlds, wired as ``helpline serve`` wires them."""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from tests.adapters import github_world, slack_world


@asynccontextmanager
async def slack() -> AsyncIterator[slack_world.World]:
    """The real slack-bolt app on a desk of fakes, its Web API client on the fake Slack."""
    world = await slack_world.make_world()
    try:
        yield world
    finally:
        await world.close()


@asynccontextmanager
async def github() -> AsyncIterator[github_world.World]:
    """The GitHub webhook on a throw-away SQLite file, PyGithub on the fake GitHub."""
    with tempfile.TemporaryDirectory(prefix="helpline-reliability-") as folder:
        world = await github_world.make_world(Path(folder) / "helpline.sqlite3")
        try:
            yield world
        finally:
            await world.close()
