"""A member joining the Discord server gets their onboarding journey's steps by direct message."""

from __future__ import annotations

from datetime import timedelta

import pytest

from config.journeys_config import load_journeys
from tests.adapters.discord_fake import ANA
from tests.adapters.discord_world import make_world

pytestmark = pytest.mark.asyncio


async def test_a_member_who_joins_gets_the_welcome_in_their_dms_and_stop_ends_it() -> None:
    world = await make_world(journeys=load_journeys(tiers=["community", "professional", "enterprise"]))
    try:
        await world.discord.member_joins(ANA, "Ana")
        await world.worker.run_once()
        [welcome] = world.discord.api.sent(ANA + 1)  # the DM channel the bot opened with Ana
        assert welcome["content"].startswith("Welcome, Ana!")
        assert world.discord.api.sent(ANA + 1) == [welcome]
        world.clock.advance(timedelta(days=1))
        await world.worker.run_once()
        assert len(world.discord.api.sent(ANA + 1)) == 2  # day 1: first steps
        await world.discord.slash("helpline", "stop", {}, user=ANA)
        assert "no more onboarding messages" in world.discord.api.followups()[-1]["content"]
        world.clock.advance(timedelta(days=30))
        await world.worker.run_once()
        assert len(world.discord.api.sent(ANA + 1)) == 2
    finally:
        await world.discord.close()
