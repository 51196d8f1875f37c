"""Who gets a person and who gets the docs: frustration, staff-only requests, strong passages, topic questions."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.messages import Action, ReplyKind
from core.tickets.records import Priority
from tests.desk_fakes import Harness, make_harness
from tests.understanding_fakes import Reading, ScriptedUnderstander

pytestmark = pytest.mark.asyncio

ANGRY = "This is garbage, I've waited 3 days and nobody answers, I want my money back NOW!!!"
RUDE = "you guys suck, I've waited 3 days"
SCRIPT = {
    ANGRY: Reading("billing", 0.25, 0.40),  # the head is unsure; the refund policy is a weak match
    RUDE: Reading("greeting_or_thanks", 0.6),
    "I want a refund for last month": Reading("billing", 0.63, 0.60),
    "please cancel my subscription": Reading("billing", 0.2, 0.55),
    "how do I delete my account?": Reading("account_access", 0.56, 0.62),
    "export all my data": Reading("data_loss", 0.5, 0.57),
    "my app keeps getting killed and the logs say out of memory": Reading("bug_report", 0.27, 0.66),
    "build image too big": Reading("oos", 0.52, 0.55),
    "what's the weather in paris": Reading("oos", 0.78, 0.11),
    "recommend jazz albums like the docs on memory": Reading("oos", 0.9, 0.5),
    "why am I getting 429 too many requests from the API?": Reading("service_down", 0.4, 0.72),
    "does tideline back up my postgres database?": Reading("data_loss", 0.53, 0.75),
    "can tideline restore a single table?": Reading("data_loss", 0.5),
    "our whole API is down since 9:00": Reading("service_down", 0.8),
}


def harness(tier: str | None = None) -> Harness:
    return make_harness(tier=tier, understander=ScriptedUnderstander(SCRIPT))


async def test_an_angry_customer_gets_a_person_at_a_raised_priority_flagged_frustrated() -> None:
    h = harness()
    [reply, *_] = await h.say(ANGRY)
    assert reply.kind is ReplyKind.TICKET and reply.ticket == 1
    assert "sorry" in reply.text.lower() and "not sure" not in reply.text
    [ticket] = await h.store.tickets.list_tickets()
    assert ticket.frustrated and ticket.priority is Priority.HIGH  # medium, raised a level
    listed = (await h.mod("tickets")).text
    assert "#1 [high]" in listed and "frustrated" in listed
    assert "frustrated" in (await h.mod("ticket 1")).text


async def test_a_rude_message_read_as_a_greeting_is_not_greeted() -> None:
    h = harness()
    [reply] = await h.say(RUDE)
    assert reply.kind is ReplyKind.TICKET
    assert "Ask me about the product" not in reply.text
    [ticket] = await h.store.tickets.list_tickets()
    assert ticket.frustrated and ticket.intent is None and ticket.priority is Priority.HIGH


async def test_the_escalation_notice_says_the_customer_is_frustrated() -> None:
    h = harness(tier="enterprise")
    await h.say(ANGRY)  # high, raised by the tier to critical: first response within 2 hours
    sent = await h.wait(timedelta(hours=2, minutes=1))
    notices = [o.reply.text for o in sent if o.reply.kind is ReplyKind.ESCALATION]
    assert notices and all("frustrated" in text for text in notices)


@pytest.mark.parametrize(
    "text",
    [
        "I want a refund for last month",
        "please cancel my subscription",
        "how do I delete my account?",
        "export all my data",
    ],
)
async def test_a_request_only_staff_can_carry_out_reaches_a_person_with_the_policy_meanwhile(text: str) -> None:
    h = harness()
    replies = await h.say(text)
    assert [r.kind for r in replies] == [ReplyKind.TICKET, ReplyKind.ANSWER]
    assert "person on the team has to carry out" in replies[0].text
    assert replies[1].text.startswith("Meanwhile") and replies[1].citation is not None
    [ticket] = await h.store.tickets.list_tickets()
    assert ticket.priority is Priority.MEDIUM and not ticket.frustrated


async def test_a_strong_passage_answers_when_the_intent_head_is_unsure() -> None:
    h = harness()
    [reply] = await h.say("my app keeps getting killed and the logs say out of memory")
    assert reply.kind is ReplyKind.ANSWER and reply.citation is not None
    assert "ran out of memory" in reply.text
    assert [c.action for c in reply.choices] == [Action.HELPFUL, Action.NOT_HELPFUL, Action.HUMAN]


async def test_a_strong_passage_answers_a_message_the_head_half_thinks_out_of_scope() -> None:
    h = harness()
    [reply] = await h.say("build image too big")
    assert reply.kind is ReplyKind.ANSWER and reply.citation is not None


async def test_a_message_clearly_about_something_else_is_still_declined() -> None:
    h = harness()
    for text in ("what's the weather in paris", "recommend jazz albums like the docs on memory"):
        [reply] = await h.say(text, thread=text)
        assert reply.kind is ReplyKind.INFO and "not sure I can help" in reply.text
    assert await h.store.tickets.list_tickets() == []


@pytest.mark.parametrize(
    "text", ["why am I getting 429 too many requests from the API?", "does tideline back up my postgres database?"]
)
async def test_a_question_about_an_incident_topic_is_answered_not_escalated(text: str) -> None:
    h = harness()
    [reply] = await h.say(text)
    assert reply.kind is ReplyKind.ANSWER and reply.citation is not None
    assert await h.store.tickets.list_tickets() == []


async def test_a_ticket_asked_for_after_a_topic_question_is_not_critical() -> None:
    h = harness()
    [reply] = await h.say("can tideline restore a single table?")  # the docs hold nothing: a ticket is offered
    assert reply.choices and reply.choices[0].action is Action.OPEN_TICKET
    [opened] = await h.say("", choice=reply.choices[0].value)
    [ticket] = await h.store.tickets.list_tickets()
    assert opened.ticket == ticket.number and ticket.priority is Priority.MEDIUM


async def test_a_real_outage_still_opens_a_critical_ticket() -> None:
    h = harness()
    [reply] = await h.say("our whole API is down since 9:00")
    [ticket] = await h.store.tickets.list_tickets()
    assert reply.kind is ReplyKind.TICKET and ticket.priority is Priority.CRITICAL and not ticket.frustrated


async def test_a_customer_who_turns_frustrated_on_an_open_ticket_raises_it_once_and_flags_it() -> None:
    h = harness()
    await h.say("I want a refund for last month")  # a medium ticket for the refund
    [reply] = await h.say(RUDE)
    assert reply.kind is ReplyKind.TICKET and "priority is now high" in reply.text
    [ticket] = await h.store.tickets.list_tickets()
    assert ticket.frustrated and ticket.priority is Priority.HIGH
    await h.say(ANGRY)  # still frustrated: flagged already, not raised again
    [ticket] = await h.store.tickets.list_tickets()
    assert ticket.priority is Priority.HIGH
