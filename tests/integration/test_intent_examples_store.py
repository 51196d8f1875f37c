"""Contract tests for ``IntentExamples`` (and a ticket's intent change): on the fake, on SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.messages import Address
from core.stores import Stores
from core.tickets.records import NewTicket, Priority, TicketChange, TicketEvent, TicketNotFoundError
from core.understanding.ports import IntentExample

pytestmark = pytest.mark.asyncio

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


async def _ticket(store: Stores, thread: str) -> int:
    new = NewTicket(
        "acme", "pro", Address("slack", "T1", "C1", thread), "U1", "Ada", "charged twice", "bug_report",
        Priority.HIGH, T0, None, None,
    )  # fmt: skip
    return (await store.tickets.open_ticket(new, "slack:U1")).number


async def test_an_example_per_ticket_a_later_correction_replaces_it(store: Stores) -> None:
    first, second = await _ticket(store, "1"), await _ticket(store, "2")
    examples = store.intent_examples
    assert await examples.examples() == [] and await examples.latest() is None
    kept = IntentExample(second, "charged twice for my plan", "billing", "slack:UMO", T0)
    assert await examples.keep(kept) is False
    assert await examples.keep(IntentExample(first, "my card was charged", "billing", "slack:UMO", T0)) is False
    later = IntentExample(second, "charged twice for my plan", "account_access", "slack:UBO", T0 + timedelta(hours=1))
    assert await examples.keep(later) is True
    assert await examples.examples() == [
        IntentExample(first, "my card was charged", "billing", "slack:UMO", T0),
        later,
    ]
    assert await examples.latest() == T0 + timedelta(hours=1)


async def test_times_come_back_in_utc_and_unknown_tickets_are_refused(store: Stores) -> None:
    number = await _ticket(store, "1")
    there = datetime(2026, 3, 2, 11, 0, tzinfo=UTC).astimezone(ZoneInfo("Europe/Berlin"))
    await store.intent_examples.keep(IntentExample(number, "ünïcode question ✓", "billing", "slack:UMO", there))
    [example] = await store.intent_examples.examples()
    assert example.at == there and example.at.tzinfo == UTC and example.text == "ünïcode question ✓"
    with pytest.raises(TicketNotFoundError):
        await store.intent_examples.keep(IntentExample(999, "no such ticket", "billing", "slack:UMO", T0))
    assert len(await store.intent_examples.examples()) == 1


async def test_corrections_of_one_ticket_racing_keep_one_example(store: Stores) -> None:
    number = await _ticket(store, "1")
    racing = [IntentExample(number, "question", "billing", f"slack:U{i}", T0) for i in range(4)]
    results = await asyncio.gather(*(store.intent_examples.keep(example) for example in racing))
    assert sorted(results) == [False, True, True, True]
    assert len(await store.intent_examples.examples()) == 1


async def test_a_change_can_set_the_tickets_intent(store: Stores) -> None:
    number = await _ticket(store, "1")
    event = TicketEvent(number, T0 + timedelta(minutes=1), "slack:UMO", "intent", "bug_report → billing")
    changed = await store.tickets.update(number, TicketChange(intent="billing"), event)
    assert changed.intent == "billing"
    again = await store.tickets.get(number)
    assert again is not None and again.intent == "billing" and again.priority is Priority.HIGH
