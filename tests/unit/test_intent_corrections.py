"""``intent N NAME``: a moderator corrects a ticket's intent; its question becomes a labelled example."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.messages import ReplyKind
from tests.desk_fakes import make_harness

pytestmark = pytest.mark.asyncio

INTENTS = (
    "how_to_question, bug_report, feature_request, billing, account_access, service_down, security_issue, "
    "data_loss, performance_issue, greeting_or_thanks, human_request"
)


async def test_a_correction_changes_the_intent_logs_who_and_keeps_the_question_as_an_example() -> None:
    h = make_harness()
    await h.say("the app crashes whenever I pay for my plan")  # "crash" reads as a bug report
    reply = await h.mod("intent 1 billing")
    assert reply.kind is ReplyKind.INFO and reply.ticket == 1
    assert reply.text.startswith("Ticket #1 is now billing (was bug_report); its question is kept as an example")
    ticket = await h.store.tickets.get(1)
    assert ticket is not None and ticket.intent == "billing"
    [event] = [e for e in await h.store.tickets.events(1) if e.kind == "intent"]
    assert (event.actor, event.detail) == ("discord:mo", "bug_report → billing")
    [example] = await h.store.intent_examples.examples()
    assert (example.ticket, example.intent, example.actor) == (1, "billing", "discord:mo")
    assert example.text == "the app crashes whenever I pay for my plan"
    shown = await h.mod("ticket 1")
    assert "mo on Discord corrected the intent (bug_report → billing)" in shown.text


async def test_a_second_correction_of_a_ticket_replaces_its_example() -> None:
    h = make_harness()
    await h.say("the app crashes on start")
    await h.mod("intent 1 billing")
    h.clock.advance(timedelta(minutes=5))
    again = await h.mod("intent 1 Performance_Issue")  # names are compared ignoring case
    assert again.text.startswith("Ticket #1 is now performance_issue (was billing); its question replaces its earlier")
    [example] = await h.store.intent_examples.examples()
    assert example.intent == "performance_issue"
    assert await h.store.intent_examples.latest() == example.at
    details = [e.detail for e in await h.store.tickets.events(1) if e.kind == "intent"]
    assert details == ["bug_report → billing", "billing → performance_issue"]


async def test_confirming_the_intent_it_already_has_keeps_an_example_without_a_change() -> None:
    h = make_harness()
    await h.say("the app crashes on start")
    reply = await h.mod("intent 1 bug_report")
    assert "is now bug_report (it already was)" in reply.text
    assert [e for e in await h.store.tickets.events(1) if e.kind == "intent"] == []
    [example] = await h.store.intent_examples.examples()
    assert example.intent == "bug_report"


async def test_an_unknown_intent_is_refused_with_the_valid_names_and_changes_nothing() -> None:
    h = make_harness()
    await h.say("the app crashes on start")
    reply = await h.mod("intent 1 invoices")
    assert reply.kind is ReplyKind.ERROR
    assert reply.text == f'There is no intent "invoices". Intents: {INTENTS}. Usage: intent N NAME'
    ticket = await h.store.tickets.get(1)
    assert ticket is not None and ticket.intent == "bug_report"
    assert await h.store.intent_examples.examples() == []


async def test_mistakes_and_people_who_are_not_moderators_are_refused() -> None:
    h = make_harness()
    await h.say("the app crashes on start")
    [refused] = await h.say("intent 1 billing", command=True)
    assert "Only moderators" in refused.text
    assert "needs an intent" in (await h.mod("intent 1")).text
    assert (await h.mod("intent 9 billing")).text == "there is no ticket #9"
    assert await h.store.intent_examples.examples() == []
    ticket = await h.store.tickets.get(1)
    assert ticket is not None and ticket.intent == "bug_report"


async def test_the_example_is_the_question_that_opened_the_ticket_not_later_messages() -> None:
    h = make_harness()
    await h.say("hello there")
    await h.say("the app crashes on start")
    h.clock.advance(timedelta(minutes=1))
    await h.say("it crashes again, any news?")
    await h.mod("intent 1 performance_issue")
    [example] = await h.store.intent_examples.examples()
    assert example.text == "the app crashes on start"
