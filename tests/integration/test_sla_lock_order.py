"""A worker firing SLA actions while another process updates the same tickets: no deadlock, each action once.

Both sides replan the ticket; on PostgreSQL they lock the same rows, so they must take them in one order
(the ticket first). Runs on SQLite and PostgreSQL, with two engines as two processes would have.
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection, Sequence
from datetime import UTC, datetime, timedelta

import pytest

from core.messages import Address
from core.sla.plan import ActionKey, ActionKind, DueAction
from core.sla.planner import SlaPlan
from core.store.engine import create_engine_for
from core.store.migrate import upgrade_schema
from core.store.sql_store import sql_stores
from core.tickets.records import NewTicket, Priority, Ticket, TicketChange, TicketEvent

pytestmark = pytest.mark.asyncio

T0 = datetime(2026, 12, 1, 9, tzinfo=UTC)
H = timedelta(hours=1)
COUNT = 60


class NudgedPlanner:
    """A warning an hour after opening, a minute earlier for every ``nudge`` event: each update moves it."""

    fingerprint = "nudged"

    def plan(
        self, ticket: Ticket, events: Sequence[TicketEvent], fired: Collection[ActionKey], now: datetime
    ) -> SlaPlan:
        """The plan of ``ticket``."""
        nudges = sum(e.kind == "nudge" for e in events)
        warning = DueAction(
            ActionKind.WARNING, "first_response", 1, 0, ticket.created_at + H - nudges * timedelta(minutes=1)
        )
        return SlaPlan(ticket.created_at + 2 * H, None, None, tuple(a for a in (warning,) if a.key not in fired))


def draft(n: int) -> NewTicket:
    address = Address("slack", "T1", "C1", f"{n}.0001")
    return NewTicket("acme", "gold", address, "U1", "Ada", "s", None, Priority.HIGH, T0, None, None)


async def test_completing_and_updating_the_same_tickets_at_once_neither_deadlocks_nor_fires_twice(
    database_url: str,
) -> None:
    worker_engine, desk_engine = create_engine_for(database_url), create_engine_for(database_url)
    try:
        await upgrade_schema(worker_engine)
        planner = NudgedPlanner()
        worker, desk = sql_stores(worker_engine, planner), sql_stores(desk_engine, planner)
        for n in range(COUNT):
            await desk.tickets.open_ticket(draft(n), "test")
        now = T0 + 2 * H
        due = await worker.timers.claim_due(now, COUNT, "w", timedelta(minutes=2))
        assert len(due) == COUNT

        async def nudge(ticket: int) -> None:
            await desk.tickets.update(ticket, TicketChange(assignee="bo"), TicketEvent(ticket, now, "bo", "nudge"))

        done = await asyncio.gather(
            *(worker.timers.complete_due(work, "w", now) for work in due), *(nudge(work.ticket) for work in due)
        )
        assert done[:COUNT] == [True] * COUNT  # a nudge moves the warning but it stays due: it fires
        for work in due:
            fired = [t for t in await worker.timers.timers(work.ticket) if t.fired_at is not None]
            assert [(t.action, t.level) for t in fired] == [(ActionKind.WARNING, 0)]
            ticket = await worker.tickets.get(work.ticket)
            assert ticket is not None and ticket.assignee == "bo"
    finally:
        await worker_engine.dispose()
        await desk_engine.dispose()
