"""The Slack bot for the support team: escalations, claims, staff replies and ``/helpline``."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.tickets.records import TicketStatus
from tests.adapters.slack_fake import payload
from tests.adapters.slack_world import (
    ANA,
    ENTERPRISE_CHANNEL,
    ESCALATION_CHANNEL,
    GOLD_CHANNEL,
    STAFF,
    STAFF_GROUP,
    World,
    buttons,
    connect_message,
    outage,
    shown,
    slash,
    thread_reply,
)

pytestmark = pytest.mark.asyncio


async def test_enterprise_outage_is_critical_and_escalates_to_the_tier_channel_when_the_sla_runs_out(
    world: World,
) -> None:
    thread = await outage(world)
    [ack] = world.slack.posts("C0ACMESHARED")
    assert ack["thread_ts"] == thread and "Ticket #1, critical" in ack["text"]
    ticket = await world.store.tickets.get(1)
    assert ticket is not None and ticket.tier == "enterprise" and ticket.customer == "acme"
    assert ticket.requester_id == "U0ACMEBOB" and ticket.requester_name == "Bob Stone"
    world.clock.advance(timedelta(hours=1, minutes=59))
    assert await world.worker.run_once() == []
    world.clock.advance(timedelta(minutes=2))
    [escalation] = await world.worker.run_once()
    assert escalation.target == f"slack:{ENTERPRISE_CHANNEL}"
    # The channel also had the 75 % warning and a critical reminder; one escalation among them.
    [notice] = world.slack.escalations(ENTERPRISE_CHANNEL)
    text = shown(notice)
    assert notice["text"].startswith(
        f"<!subteam^{STAFF_GROUP}> Escalation (level 1, L1 first contact): "
        "ticket #1 (Enterprise, critical) from Bob Stone missed"
    )
    assert f"https://vendor.slack.com/archives/C0ACMESHARED/p{thread.replace('.', '')}" in text
    assert buttons(notice) == ["helpline:claim:1", "helpline:ack:1"]
    assert "thread_ts" not in notice or notice["thread_ts"] is None
    # The warning and reminders link to the customer's thread too.
    links = world.slack.method_calls("chat.getPermalink")
    assert {(link.args["channel"], link.args["message_ts"]) for link in links} == {("C0ACMESHARED", thread)}


async def test_claim_by_staff_works_and_by_a_customer_is_refused(world: World) -> None:
    await outage(world)
    await world.command(slash(ANA, "claim 1", world, trigger="1.customer"))
    [refusal] = world.slack.responses()
    assert refusal["response_type"] == "ephemeral" and "Only moderators" in refusal["text"]
    ticket = await world.store.tickets.get(1)
    assert ticket is not None and ticket.assignee is None
    await world.command(slash(STAFF, "claim 1", world, trigger="2.staff"))
    claimed = world.slack.responses()[-1]
    assert claimed["response_type"] == "ephemeral" and "You claimed ticket #1" in claimed["text"]
    ticket = await world.store.tickets.get(1)
    assert ticket is not None and ticket.assignee == f"slack:{STAFF}"
    assert [c.args["usergroup"] for c in world.slack.method_calls("usergroups.users.list")] == [STAFF_GROUP]


async def test_the_claim_button_on_an_escalation_claims_for_staff(world: World) -> None:
    await outage(world)
    world.clock.advance(timedelta(hours=2, minutes=1))
    await world.worker.run_once()
    [notice] = world.slack.escalations(ENTERPRISE_CHANNEL)
    before = len(world.slack.posts(ENTERPRISE_CHANNEL))
    press = payload("block_actions")
    press["user"] |= {"id": STAFF}
    press["container"] |= {"channel_id": ENTERPRISE_CHANNEL, "message_ts": "1732351002.000002"}
    del press["container"]["thread_ts"], press["message"]["thread_ts"]
    press["actions"][0] |= {"action_id": "helpline:claim:1", "value": "claim:1"}
    press["response_url"] = f"{world.slack.url}/hooks/actions/T0VENDOR/2"
    await world.interaction(press)
    [answer] = world.slack.responses()
    assert answer["response_type"] == "ephemeral" and "You claimed ticket #1" in answer["text"]
    ticket = await world.store.tickets.get(1)
    assert notice and ticket is not None and ticket.assignee == f"slack:{STAFF}"
    # The others see who took it, in the escalation's thread; pressing again announces nothing new.
    [claimed] = world.slack.posts(ENTERPRISE_CHANNEL)[before:]
    assert claimed["thread_ts"] == "1732351002.000002" and claimed["text"] == "Mo claimed ticket #1."
    press["actions"][0]["action_ts"] = "1732350099.000001"
    await world.interaction(press)
    assert len(world.slack.posts(ENTERPRISE_CHANNEL)) == before + 1
    assert "You already have ticket #1" in world.slack.responses()[-1]["text"]


async def test_a_staff_reply_in_the_thread_is_the_first_response(world: World) -> None:
    thread = await outage(world)
    posts = len(world.slack.posts())
    reply = thread_reply(STAFF, "Looking at it now, hang on.", thread, "C0ACMESHARED", "Ev07STAFFREPLY")
    reply["event"] |= {"team": "T0VENDOR", "user_team": "T0VENDOR"}
    await world.event(reply)
    ticket = await world.store.tickets.get(1)
    assert ticket is not None and ticket.first_response_at == world.clock.now()
    assert ticket.status is TicketStatus.WAITING
    kept = [(m.author_name, m.role.value, m.text) for m in await world.store.conversations.messages(1)]
    assert ("Mo", "agent", "Looking at it now, hang on.") in kept
    assert len(world.slack.posts()) == posts  # the bot stays out of a human's reply
    world.clock.advance(timedelta(hours=3))
    assert await world.worker.run_once() == []  # answered in time: no escalation


async def test_a_staff_reply_command_reaches_the_customer_thread_and_counts_as_the_response(world: World) -> None:
    thread = await outage(world)
    # Escaped, as the manifest asks Slack to: a typed @here arrives as <!here> and "&" as "&amp;".
    await world.command(slash(STAFF, "reply 1 Fixed at 10:02 <!here>, sorry &amp; thanks", world))
    notice = world.slack.posts("C0ACMESHARED")[-1]
    assert notice["thread_ts"] == thread
    # Changed with escaped command text: the customer reads "@here" as typed, never as a live mention.
    assert notice["text"] == "Mo (support) on ticket #1: Fixed at 10:02 @here, sorry &amp; thanks"
    [sent] = world.slack.responses()
    assert sent["response_type"] == "ephemeral" and "Sent to the customer on ticket #1" in sent["text"]
    ticket = await world.store.tickets.get(1)
    assert ticket is not None and ticket.first_response_at == world.clock.now()


async def test_a_shared_channel_mapped_to_white_glove_escalates_to_the_configured_escalation_channel(
    world: World,
) -> None:
    envelope = connect_message("checkout is down for all our users", event_id="Ev07GOLD")
    envelope["event"] |= {"channel": GOLD_CHANNEL, "team": "T0GOLD", "user_team": "T0GOLD", "user": "U0GOLDAMY"}
    await world.event(envelope)
    ticket = await world.store.tickets.get(1)
    assert ticket is not None and ticket.tier == "white-glove" and ticket.customer == "gold"
    world.clock.advance(timedelta(hours=1, minutes=1))  # white-glove critical: first response within 1 hour
    [escalation] = await world.worker.run_once()
    assert escalation.target == "slack"  # plain "slack": slack.escalation_channel
    [notice] = world.slack.escalations(ESCALATION_CHANNEL)
    assert "ticket #1 (White-glove, critical)" in notice["text"]
