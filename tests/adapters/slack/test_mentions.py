"""SLA notices on Slack mention exactly whom they name: chain levels, the on-call shift, the assignee."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.adapters.slack_world import (
    EMEA,
    ENGINEERS,
    ENTERPRISE_CHANNEL,
    LEAD,
    STAFF,
    STAFF_GROUP,
    World,
    outage,
    shown,
    slash,
    tiers,
)

pytestmark = pytest.mark.asyncio


@pytest.fixture
def world_options() -> dict[str, Any]:
    """Enterprise chains and on-call shifts that name Slack users and groups."""
    return {"directory": tiers(slack_people=True)}


def _mentions(post: dict[str, Any]) -> list[str]:
    """Every mention markup a posted message carries, in its text and its blocks."""
    text = shown(post)
    found = [part.split(">")[0] for part in text.split("<")[1:] if part.startswith(("@", "!"))]
    return sorted(set(found))


def _kind(posts: list[dict[str, Any]], words: str) -> list[dict[str, Any]]:
    return [p for p in posts if words in p["text"]]


async def test_escalation_levels_mention_the_on_call_shift_then_the_level_s_own_people(world: World) -> None:
    await outage(world, "<!channel> our whole API is down <@U0CEO>")  # 09:00 UTC: the emea shift
    world.clock.advance(timedelta(hours=2, minutes=1))
    await world.worker.run_once()
    [first] = _kind(world.slack.posts(ENTERPRISE_CHANNEL), "Escalation (level 1")
    assert first["text"].startswith(f"<!subteam^{EMEA}> Escalation (level 1, L1 first contact)")
    assert _mentions(first) == [f"!subteam^{EMEA}"]  # not the staff group, not Discord's role, not the customer's
    world.clock.advance(timedelta(hours=1))
    await world.worker.run_once()
    [second] = _kind(world.slack.posts(ENTERPRISE_CHANNEL), "Escalation (level 2")
    assert second["text"].startswith(f"<!subteam^{ENGINEERS}> <@{LEAD}> Escalation (level 2, L2 engineering)")
    assert _mentions(second) == [f"!subteam^{ENGINEERS}", f"@{LEAD}"]
    assert all(STAFF_GROUP not in shown(p) for p in world.slack.posts(ENTERPRISE_CHANNEL))


async def test_warnings_and_reminders_mention_the_assignee_and_customer_posts_mention_nobody(world: World) -> None:
    thread = await outage(world)
    await world.command(slash(STAFF, "claim 1", world))
    world.clock.advance(timedelta(hours=1, minutes=31))  # 75 % of the 2-hour critical first-response target
    await world.worker.run_once()
    posted = world.slack.posts(ENTERPRISE_CHANNEL)
    [warning] = _kind(posted, "SLA warning")
    assert warning["text"].startswith(f"<@{STAFF}> SLA warning: ticket #1")
    assert _mentions(warning) == [f"@{STAFF}"]
    reminders = _kind(posted, "Status reminder")
    assert reminders and all(_mentions(r) == [f"@{STAFF}"] for r in reminders)
    # Nothing the bot posted in the customer's thread mentions anyone.
    assert all(_mentions(p) == [] for p in world.slack.posts("C0ACMESHARED") if p.get("thread_ts") == thread)
