"""The feature-request offer's way out: when "Record this as a feature request?" misread the message, "No,
open a ticket instead" keeps the words as an ordinary ticket, whether they were typed or read as a wish."""

from __future__ import annotations

import pytest

from bots.console.translate import Identity, read_line
from core.messages import Action, Choice, ChoiceMessage, IncomingMessage
from tests.unit.test_requests import ask, harness, one, values


@pytest.mark.asyncio
async def test_a_message_misread_as_a_wish_becomes_a_ticket_with_its_words() -> None:
    h = harness()
    offer = one(await h.say("I would love to know why my plan changed", user="ana", thread="t1"))
    assert offer.text.startswith("Record this as a feature request?") and values(offer)[-1] == "open_ticket"
    assert offer.choices[-1].label == "No, open a ticket instead"
    ticket = one(await h.say("", user="ana", thread="t1", choice="open_ticket"))
    assert ticket.ticket is not None
    opened = await h.store.tickets.get(ticket.ticket)
    assert opened is not None and opened.subject == "I would love to know why my plan changed"
    assert await h.store.feature_requests.requests() == []  # and no request was filed


@pytest.mark.asyncio
async def test_a_typed_feature_command_can_still_become_a_ticket_and_a_close_offer_keeps_the_way_out() -> None:
    h = harness()
    offer = await ask(h, "Dark mode for the dashboard", "ana", "t1")
    ticket = one(await h.say("", user="ana", thread="t1", choice=offer.choices[-1].value))
    assert ticket.ticket is not None
    opened = await h.store.tickets.get(ticket.ticket)
    assert opened is not None and opened.subject == "Dark mode for the dashboard"
    record = one(await h.say("", user="ana", thread="t1", choice=offer.choices[0].value))
    assert record.text.startswith("Recorded as feature request #1")
    close = await ask(h, "please add a dark mode to the dashboard", "bob", "t2")
    assert values(close) == ["vote:1", "file_request:2", "open_ticket"]


def test_no_at_the_console_answers_the_offer_with_a_ticket_and_is_a_message_otherwise() -> None:
    me = Identity("ana", frozenset(), "t1")
    offer = (Choice("Record it as a new request", Action.FILE_REQUEST, 4), Choice("No", Action.OPEN_TICKET))
    picked = read_line("no", me, offer, 1)
    assert isinstance(picked, ChoiceMessage) and picked.action is Action.OPEN_TICKET
    assert isinstance(read_line("no", me, (), 2), IncomingMessage)  # with no offer waiting, "no" is said
    assert isinstance(read_line("no thanks, it is broken", me, offer, 3), IncomingMessage)
