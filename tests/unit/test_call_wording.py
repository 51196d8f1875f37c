"""Asking for a call in words, and the "Book a call" button on a ticket's acknowledgement."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.calls.wording import asks_for_call
from core.messages import Action, Address, Author, ChoiceMessage, CommandText, Destination, ReplyKind
from tests.unit.test_calls_desk import harness, pick

ASKS = [
    "Can we get on a call?",
    "could we hop on a quick video call to go through the migration",
    "Is it possible to schedule a call with your team this week?",
    "I'd like to book a call about our renewal",
    "can we set up a zoom meeting",
    "we would love a video chat with an engineer",
    "Can someone from engineering get on a call with us?",
]
ORDINARY = [
    "the API call to /v1/apps fails with 500",
    "my function call times out after 30s",
    "how do I read the call stack in the logs",
    "the webhook call back url is wrong",
    "every call returns 401 since this morning",
    "what's the rate limit per call",
    "I called the endpoint twice and got two deploys",
    "can you call the rollback for me",
]


@pytest.mark.parametrize("text", ASKS)
def test_asking_for_a_call_is_recognised(text: str) -> None:
    assert asks_for_call(text)


@pytest.mark.parametrize("text", ORDINARY)
def test_calls_in_the_software_sense_are_not(text: str) -> None:
    assert not asks_for_call(text)


@pytest.mark.asyncio
async def test_an_enterprise_customer_asking_for_a_call_is_offered_three_slots() -> None:
    h = harness()
    [reply] = await h.say("Hi! Can we get on a call about our deploy setup?", user="ent1", thread="t1")
    assert len(reply.choices) == 3 and all(c.action is Action.BOOK_CALL for c in reply.choices)
    booked = await pick(h, "ent1", reply.choices[0], thread="t1")
    assert "is booked" in booked.text


@pytest.mark.asyncio
async def test_a_tier_without_calls_is_handled_as_any_other_message() -> None:
    h = harness()
    replies = await h.say("can we get on a call about the outage, the whole API is down", user="ana", thread="t9")
    assert all(c.action is not Action.BOOK_CALL for r in replies for c in r.choices)
    assert replies[0].kind is ReplyKind.TICKET and not replies[0].choices  # community: no "Book a call" either


@pytest.mark.asyncio
async def test_a_ticket_acknowledgement_offers_a_call_to_tiers_that_have_them() -> None:
    h = harness()
    [ack, *_] = await h.say("the whole API is down since this morning", user="ent2", thread="t2")
    assert ack.kind is ReplyKind.TICKET and ack.ticket == 1
    [button] = ack.choices
    assert (button.label, button.action, button.ticket) == ("Book a call", Action.OFFER_CALL, 1)
    [slots] = await h.say("", user="ent2", thread="t2", choice=button.value)
    assert "about ticket #1" in slots.text and len(slots.choices) == 3


@pytest.mark.asyncio
async def test_asking_for_a_call_in_a_tickets_thread_offers_one_about_that_ticket() -> None:
    h = harness()
    await h.say("the whole API is down since this morning", user="ent1", thread="t3")
    replies = await h.say("could we schedule a call to debug this together?", user="ent1", thread="t3")
    assert replies[0].text.startswith("Added to ticket #1")
    assert "about ticket #1" in replies[-1].text and len(replies[-1].choices) == 3


@pytest.mark.asyncio
async def test_slots_are_shown_in_the_customers_own_zone_when_the_platform_knows_it() -> None:
    h = harness()
    asked = CommandText(Address("discord", "g1", "c1", "t-z"), Author("pro1", "Pro", zone="America/New_York"), "call")
    [reply] = await h.desk.handle(asked)
    assert reply.choices[0].label == "Mon 23 Nov 06:00 (America/New_York)"  # 11:00 in London
    assert "support team's" not in reply.text
    slot = reply.choices[0]
    picked = ChoiceMessage(asked.address, asked.author, slot.action, slot.ticket, score=slot.score)
    [booked] = await h.desk.handle(picked)
    assert "is booked: Mon 23 Nov 06:00 (America/New_York)" in booked.text


@pytest.mark.asyncio
async def test_the_tickets_agent_gets_the_invite_by_direct_message() -> None:
    h = harness()
    await h.say("the whole API is down since this morning", user="ent1", thread="t5")
    await h.say("claim 1", command=True, user="dana", roles=frozenset({"moderator"}), thread="staff")
    [slots] = await h.say("call", user="ent1", thread="t5", command=True)
    await pick(h, "ent1", slots.choices[0], thread="t5")
    sent = await h.wait(timedelta(seconds=1))  # the worker drains the outbox
    [direct] = [o for o in sent if o.reply.destination is Destination.DIRECT]
    assert [(m.platform, m.id) for m in direct.reply.mentions] == [("discord", "dana")]
    assert direct.reply.text.startswith("You have a video call about ticket #1 with ")
    assert [a.name for a in direct.reply.attachments] == ["invite.ics"]
