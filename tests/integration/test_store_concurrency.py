"""Several processes sharing one database (two engines, two connection pools): SQLite and PostgreSQL.

The database's unique constraints decide every race; PostgreSQL aborts a transaction at its first
failed statement, so each of these also proves the store recovers from that cleanly.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
import pytest_asyncio

from core.messages import Address
from core.store.engine import create_engine_for
from core.store.migrate import upgrade_schema
from core.store.sql_store import sql_stores
from core.stores import Stores
from core.tickets.records import (
    ConversationMessage,
    Deadline,
    Escalation,
    NewTicket,
    Priority,
    Role,
    TicketChange,
    TicketEvent,
)

pytestmark = pytest.mark.asyncio

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
THREAD = Address("slack", "T1", "C1", "1700000000.1")


@pytest_asyncio.fixture
async def stores(database_url: str) -> AsyncIterator[tuple[Stores, Stores]]:
    """Two stores on one migrated database, each with its own engine, as two processes would have."""
    first, second = create_engine_for(database_url), create_engine_for(database_url)
    try:
        await upgrade_schema(first)
        yield sql_stores(first), sql_stores(second)
    finally:
        await first.dispose()
        await second.dispose()


def draft(minutes: int = 0) -> NewTicket:
    created = T0 + timedelta(minutes=minutes)
    return NewTicket("acme", "pro", THREAD, "U1", "Ada", "Builds fail", None, Priority.HIGH, created, None, None)


def message(text: str, external_id: str, role: Role = Role.CUSTOMER) -> ConversationMessage:
    return ConversationMessage(THREAD, "U1", "Ada", role, text, T0, external_id=external_id)


async def test_one_escalation_is_claimed_once_across_processes(
    stores: tuple[Stores, Stores],
) -> None:
    one, other = stores
    ticket = await one.tickets.open_ticket(draft(), "helpline")
    escalation = Escalation(ticket.number, Deadline.FIRST_RESPONSE, 1, "#leads", T0)
    outcomes = await asyncio.gather(*(store.escalations.claim_escalation(escalation) for store in (one, other) * 4))
    assert sorted(outcomes) == [False] * 7 + [True]
    assert [e.level for e in await other.escalations.escalations(ticket.number)] == [1]
    assert [e.kind for e in await one.tickets.events(ticket.number)] == ["opened", "escalated"]
    # Released after a failed notice, it can be claimed again, by either process.
    await one.escalations.release_escalation(escalation, "slack down")
    assert await other.escalations.claim_escalation(escalation)
    assert not await one.escalations.claim_escalation(escalation)


async def test_one_platform_message_is_kept_once_across_processes(
    stores: tuple[Stores, Stores],
) -> None:
    one, other = stores
    outcomes = await asyncio.gather(*(s.conversations.record_message(message("help", "M1")) for s in (one, other) * 3))
    assert sorted(outcomes) == [False] * 5 + [True]
    assert [m.text for m in await other.conversations.conversation(THREAD)] == ["help"]


async def test_a_duplicate_reply_in_an_update_still_applies_the_change(
    stores: tuple[Stores, Stores],
) -> None:
    one, other = stores
    ticket = await one.tickets.open_ticket(draft(), "helpline")
    reply = message("on it", "R1", Role.AGENT)
    claimed = TicketEvent(ticket.number, T0, "bob", "claimed", "assigned to bob")
    await one.tickets.update(ticket.number, TicketChange(assignee="bob"), claimed, reply)
    # The same platform message reaches a second process: the insert fails on the unique constraint,
    # and the change and event around it are kept all the same.
    noted = TicketEvent(ticket.number, T0 + timedelta(minutes=1), "bob", "note", "again")
    updated = await other.tickets.update(ticket.number, TicketChange(assignee="carol"), noted, reply)
    assert updated.assignee == "carol"
    assert [e.kind for e in await one.tickets.events(ticket.number)] == ["opened", "claimed", "note"]
    assert [m.text for m in await one.conversations.messages(ticket.number)] == ["on it"]


async def test_tickets_opened_at_once_in_two_processes_get_distinct_numbers(
    stores: tuple[Stores, Stores],
) -> None:
    one, other = stores
    opened = await asyncio.gather(
        *(s.tickets.open_ticket(draft(i), "helpline") for i, s in enumerate((one, other) * 5))
    )
    numbers = sorted(t.number for t in opened)
    assert numbers == list(range(1, 11))
    assert sorted(t.number for t in await other.tickets.list_tickets(limit=20)) == numbers


async def test_processes_starting_together_migrate_once_and_all_start(database_url: str) -> None:
    engines = [create_engine_for(database_url) for _ in range(4)]
    try:
        await asyncio.gather(*(upgrade_schema(engine) for engine in engines))
        stores = [sql_stores(engine) for engine in engines]
        opened = await stores[0].tickets.open_ticket(draft(), "helpline")
        assert [await store.tickets.get(opened.number) for store in stores] == [opened] * 4
    finally:
        for engine in engines:
            await engine.dispose()
