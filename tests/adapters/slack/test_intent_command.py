"""``/helpline intent N NAME`` on Slack: a moderator corrects a ticket's intent; its question becomes an example."""

from __future__ import annotations

import pytest

from tests.adapters.slack_world import ANA, STAFF, World, outage, slash

pytestmark = pytest.mark.asyncio


async def test_a_moderator_corrects_the_intent_and_a_customer_is_refused(world: World) -> None:
    await outage(world)  # read as service_down
    await world.command(slash(ANA, "intent 1 billing", world, trigger="1.customer"))
    await world.command(slash(STAFF, "intent 1 nonsense", world, trigger="2.staff"))
    await world.command(slash(STAFF, "intent 1 performance_issue", world, trigger="3.staff"))
    refused, unknown, corrected = world.slack.responses()
    assert "Only moderators" in refused["text"]
    assert unknown["text"].startswith(':warning: There is no intent "nonsense". Intents: how_to_question, bug_report')
    assert corrected["response_type"] == "ephemeral"
    assert corrected["text"].startswith("Ticket #1 is now performance_issue (was service_down)")
    ticket = await world.store.tickets.get(1)
    assert ticket is not None and ticket.intent == "performance_issue"
    [example] = await world.store.intent_examples.examples()
    assert (example.text, example.intent, example.actor) == (
        "Our whole API is down, every request fails",
        "performance_issue",
        f"slack:{STAFF}",
    )
