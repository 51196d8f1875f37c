"""Contract tests for ``Tickets.tickets_opened_by`` (the ticket limit), on the fakes, SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from core.messages import Address
from core.stores import Stores
from core.tickets.records import NewTicket, Priority, TicketChange, TicketEvent, TicketStatus

pytestmark = pytest.mark.asyncio

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SLACK = Address("slack", "T1", "C1", "1700000000.1")
DISCORD = Address("discord", "G1", "help", "42")


async def open_at(store: Stores, minutes: float, *, requester: str = "U1", address: Address = SLACK) -> int:
    """Open a ticket by ``requester`` at ``address``, ``minutes`` after T0; its number."""
    created = T0 + timedelta(minutes=minutes)
    draft = NewTicket("acme", "pro", address, requester, "Ada", "Builds fail", None, Priority.LOW, created, None, None)
    return (await store.tickets.open_ticket(draft, "helpline")).number


async def test_only_this_requesters_tickets_on_this_platform_count(store: Stores) -> None:
    mine = await open_at(store, 1)
    await open_at(store, 2, requester="U2")
    await open_at(store, 3, address=DISCORD)  # the same id on another platform is another person
    other_thread = await open_at(store, 4, address=Address("slack", "T1", "C2", "1700000000.9"))
    found = await store.tickets.tickets_opened_by("slack", "U1", T0)
    assert [t.number for t in found] == [mine, other_thread]
    assert [t.number for t in await store.tickets.tickets_opened_by("discord", "U1", T0)] == [3]
    assert await store.tickets.tickets_opened_by("github", "U1", T0) == []


async def test_since_is_inclusive_and_results_are_oldest_first(store: Stores) -> None:
    late = await open_at(store, 9)
    early = await open_at(store, 5)
    await open_at(store, 1)
    found = await store.tickets.tickets_opened_by("slack", "U1", T0 + timedelta(minutes=5))
    assert [t.number for t in found] == [early, late]
    assert found[0].created_at == T0 + timedelta(minutes=5)
    assert await store.tickets.tickets_opened_by("slack", "U1", T0 + timedelta(minutes=9, microseconds=1)) == []


async def test_resolved_tickets_still_count_and_since_may_be_in_any_zone(store: Stores) -> None:
    number = await open_at(store, 0)
    at = T0 + timedelta(minutes=1)
    event = TicketEvent(number, at, "bob", "resolved")
    await store.tickets.update(number, TicketChange(status=TicketStatus.RESOLVED, resolved_at=at), event)
    paris = T0.astimezone(timezone(timedelta(hours=1)))
    [found] = await store.tickets.tickets_opened_by("slack", "U1", paris)
    assert (found.number, found.status, found.created_at) == (number, TicketStatus.RESOLVED, T0)
