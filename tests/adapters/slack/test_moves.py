"""``/helpline assign`` and ``/helpline tier`` on Slack: a mentioned person is assigned and told; a tier replans."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.adapters.slack_world import ANA, STAFF, World, outage, shown, slash

pytestmark = pytest.mark.asyncio

LEE = "U0LEE"


async def test_assign_a_mentioned_person_tells_them_in_the_staff_channel(world: World) -> None:
    await outage(world)
    # With should_escape on (the manifest), "@lee" picked from Slack's list arrives as <@U0LEE|lee>.
    await world.command(slash(STAFF, f"assign 1 <@{LEE}|lee>", world))
    [answer] = world.slack.responses()
    assert (
        answer["response_type"] == "ephemeral" and answer["text"] == f"Ticket #1 is assigned to {LEE}; they were told."
    )
    ticket = await world.store.tickets.get(1)
    assert ticket is not None and ticket.assignee == f"slack:{LEE}"
    [told] = [m for m in world.slack.posts("C0STAFF") if "now assigned" in shown(m)]
    assert told["text"].startswith(f"<@{LEE}> ") and "Ticket #1 (critical, Our whole API is down" in told["text"]


async def test_tier_replans_and_states_the_promise_and_customers_are_refused(world: World) -> None:
    await outage(world)  # Acme's shared channel: enterprise, critical, 2 hours
    await world.command(slash(ANA, "tier 1 white-glove", world, trigger="1.customer"))
    await world.command(slash(STAFF, "tier 1 white-glove", world, trigger="2.staff"))
    refused, moved = world.slack.responses()
    assert "Only moderators" in refused["text"]
    assert moved["text"].startswith("Ticket #1 is now White-glove (was Enterprise)")
    assert "White-glove promises a first response within 1 hour at critical" in moved["text"]
    ticket = await world.store.tickets.get(1)
    assert ticket is not None and ticket.tier == "white-glove"
    assert ticket.first_response_due == ticket.created_at + timedelta(hours=1)
