"""A member joining a shared support channel gets their onboarding journey's steps by direct message."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from config.journeys_config import load_journeys
from tests.adapters.slack_world import ANA, GOLD_CHANNEL, World, make_world

pytestmark = pytest.mark.asyncio

TIERS = ["community", "professional", "enterprise", "white-glove"]


def joined(user: str, channel: str, event_id: str) -> dict[str, Any]:
    """Slack's ``member_joined_channel`` envelope."""
    event = {"type": "member_joined_channel", "user": user, "channel": channel, "channel_type": "C", "team": "T0VENDOR"}
    return {"type": "event_callback", "team_id": "T0VENDOR", "event_id": event_id, "event": event}


async def journeys_world(**slack: Any) -> World:
    return await make_world(journeys=load_journeys(tiers=TIERS), **slack)


async def test_a_member_who_joins_a_support_channel_gets_the_welcome_by_dm_and_stop_ends_it() -> None:
    world = await journeys_world()
    try:
        assert (await world.event(joined(ANA, "C0HELPDESK", "Ev0JOIN1"))).status_code == 200
        await world.worker.run_once()
        [welcome] = world.slack.posts(ANA)  # posting to a user id is Slack's direct message
        assert "Welcome, Ana!" in welcome["text"]
        await world.event(joined(ANA, GOLD_CHANNEL, "Ev0JOIN2"))  # a second join starts nothing new
        await world.worker.run_once()
        assert len(world.slack.posts(ANA)) == 1
        world.clock.advance(timedelta(days=1))
        await world.worker.run_once()
        assert len(world.slack.posts(ANA)) == 2  # day 1: first steps
    finally:
        await world.close()


async def test_a_join_outside_the_support_channels_starts_no_journey() -> None:
    world = await journeys_world()
    try:
        await world.event(joined(ANA, "C0RANDOM", "Ev0JOIN3"))
        await world.worker.run_once()
        world.clock.advance(timedelta(days=2))
        await world.worker.run_once()
        assert world.slack.posts(ANA) == []
    finally:
        await world.close()


async def test_with_no_support_channels_listed_any_channel_the_bot_is_in_counts() -> None:
    world = await journeys_world(support_channels=())
    try:
        await world.event(joined(ANA, "C0RANDOM", "Ev0JOIN4"))
        await world.worker.run_once()
        assert len(world.slack.posts(ANA)) == 1
    finally:
        await world.close()
