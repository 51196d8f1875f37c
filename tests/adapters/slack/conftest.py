"""The Slack tests' world: the real bolt app on a desk of fakes, the fake Slack around it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from tests.adapters.slack_world import World, make_world


@pytest.fixture
def world_options() -> dict[str, Any]:
    """What ``make_world`` is given; a module overrides this fixture for another world (Socket Mode, ...)."""
    return {}


@pytest_asyncio.fixture
async def world(world_options: dict[str, Any]) -> AsyncIterator[World]:
    """The bot on a fresh in-memory store and a fresh fake Slack."""
    world = await make_world(**world_options)
    try:
        yield world
    finally:
        await world.close()
