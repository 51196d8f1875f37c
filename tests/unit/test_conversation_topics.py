"""One thread, several problems: a different topic is asked about or starts anew; a problem that is back reopens."""

from __future__ import annotations

import pytest

from core.messages import Action, ReplyKind
from core.tickets.records import TicketStatus
from tests.desk_fakes import Harness, make_harness

pytestmark = pytest.mark.asyncio

ASKED = "Ticket #1 (the site is down) {state}. Is this about the same problem, or a new question?"


async def resolved_outage() -> Harness:
    """A harness whose thread had an outage ticket, now resolved by a moderator."""
    h = make_harness()
    await h.say("the site is down")
    assert "resolved" in (await h.mod("resolve 1")).text
    return h


async def events(h: Harness, number: int = 1) -> list[str]:
    return [e.kind for e in await h.store.tickets.events(number)]


async def test_a_clearly_different_question_while_a_ticket_is_open_is_answered_on_its_own() -> None:
    h = make_harness()
    await h.say("the app crashes at boot")
    [reply] = await h.say("how do I turn on 2fa?")
    assert reply.kind is ReplyKind.ANSWER and reply.citation is not None
    assert reply.citation.url == "https://docs.example.com/2fa" and reply.ticket is None
    assert "2fa" not in " ".join(m.text for m in await h.store.conversations.messages(1))


async def test_a_different_topic_while_a_ticket_is_open_offers_a_choice_and_add_joins_it() -> None:
    h = make_harness()
    await h.say("the site is down")
    [asked] = await h.say("my invoice is wrong")
    assert asked.text == ASKED.format(state="is still open")
    assert [(c.label, c.value) for c in asked.choices] == [
        ("Add to ticket #1", "add_to_ticket:1"),
        ("New question", "new_question"),
    ]
    assert "my invoice is wrong" not in [m.text for m in await h.store.conversations.messages(1)]
    [added] = await h.say("", choice="add_to_ticket:1")
    assert (added.kind, added.text, added.ticket) == (ReplyKind.TICKET, "Added to ticket #1.", 1)
    assert "my invoice is wrong" in [m.text for m in await h.store.conversations.messages(1)]
    assert (await events(h))[-1] == "customer_message"
    [again] = await h.say("", choice="add_to_ticket:1")  # pressed twice: nothing is added twice
    assert again.text == "There is no message here waiting to join ticket #1."


async def test_new_question_starts_a_conversation_that_can_get_its_own_ticket() -> None:
    h = make_harness()
    await h.say("the site is down")
    await h.say("my invoice is wrong")
    [offer] = await h.say("", choice="new_question")
    assert offer.text.startswith("I couldn't find an answer to that in the docs")
    assert [c.action for c in offer.choices] == [Action.OPEN_TICKET]
    [opened] = await h.say("", choice="open_ticket")
    assert opened.kind is ReplyKind.TICKET and opened.ticket == 2  # not "already has ticket #1"
    second = await h.store.tickets.get(2)
    assert second is not None and second.subject == "my invoice is wrong" and second.intent == "billing"
    first = [m.text for m in await h.store.conversations.messages(1)]
    assert first[0] == "the site is down" and "my invoice is wrong" not in first


async def test_a_new_question_after_a_resolution_asks_instead_of_silently_reopening() -> None:
    h = await resolved_outage()
    [asked] = await h.say("my invoice is wrong")
    assert asked.text == ASKED.format(state="was resolved")
    ticket = await h.store.tickets.get(1)
    assert ticket is not None and ticket.status is TicketStatus.RESOLVED
    assert "reopened" not in await events(h)
    [reopened] = await h.say("", choice="add_to_ticket:1")  # the customer says it is the same problem
    assert reopened.text == "Ticket #1 is open again; your message was added."
    ticket = await h.store.tickets.get(1)
    assert ticket is not None and ticket.status is TicketStatus.OPEN
    assert (await events(h))[-2:] == ["reopened", "customer_message"]


@pytest.mark.parametrize(
    "text", ["the site is down again", "still down here", "it's back, my invoice page errors", "not fixed for me"]
)
async def test_saying_the_problem_is_back_reopens_as_the_resolution_notice_promises(text: str) -> None:
    h = await resolved_outage()
    [reply] = await h.say(text)
    assert reply.text == "Ticket #1 is open again; your message was added."
    ticket = await h.store.tickets.get(1)
    assert ticket is not None and ticket.status is TicketStatus.OPEN


async def test_thanks_after_a_resolution_is_answered_and_reopens_nothing() -> None:
    h = await resolved_outage()
    [reply] = await h.say("hello, thanks for fixing it")
    assert reply.kind is ReplyKind.INFO and not reply.choices and "Ticket" not in reply.text
    assert "reopened" not in await events(h)


async def test_a_clearly_different_question_after_a_resolution_is_answered_without_reopening() -> None:
    h = make_harness()
    await h.say("the app crashes at boot")
    await h.mod("resolve 1")
    [reply] = await h.say("how do I turn on 2fa?")
    assert reply.kind is ReplyKind.ANSWER and reply.citation is not None
    assert reply.citation.url == "https://docs.example.com/2fa"
    assert "reopened" not in await events(h)


async def test_a_choice_for_another_threads_ticket_is_refused() -> None:
    h = make_harness()
    await h.say("the site is down", thread="elsewhere")
    await h.say("my invoice is wrong")
    [reply] = await h.say("", choice="add_to_ticket:1")
    assert reply.kind is ReplyKind.ERROR and "not a choice I offered" in reply.text
    assert [m.text for m in await h.store.conversations.messages(1)] != ["my invoice is wrong"]


async def test_a_long_follow_up_on_an_open_ticket_says_only_its_start_was_read() -> None:
    h = make_harness()
    await h.say("the site is down")
    long = "still down, here is the whole log: " + "GET / 502 " * 400
    replies = await h.say(long)
    assert replies[0].text.startswith("Added to ticket #1.")
    assert replies[-1].text == (
        "Your message was long, so I read only its first 2,000 characters; the whole message is kept."
    )
    kept = (await h.store.conversations.messages(1))[-1]
    assert kept.raw.decode() == long  # nothing the customer sent is lost


async def test_an_unreadable_message_after_a_resolution_asks_for_text_and_reopens_nothing() -> None:
    h = await resolved_outage()
    [reply] = await h.say("\u200b\u200b")
    assert reply.text == "That message had no text I could read. Please type your question."
    assert "reopened" not in await events(h)
