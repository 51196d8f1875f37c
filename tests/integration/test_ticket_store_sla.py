"""Store contract for SLA timers and the outbox, on the in-memory store and on SQLite."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from core.messages import Address, Outbound, Reply, ReplyKind
from core.sla.plan import ActionKey, ActionKind, DueAction
from core.sla.planner import SlaPlan
from core.store.engine import create_engine_for, sqlite_url
from core.store.migrate import upgrade_schema
from core.store.schema import sla_timers
from core.stores import Stores
from core.tickets.records import NewTicket, Priority, Ticket, TicketChange, TicketEvent

pytestmark = pytest.mark.asyncio

T0 = datetime(2026, 12, 1, 9, tzinfo=UTC)
H = timedelta(hours=1)
LEASE = timedelta(minutes=2)


class TwoStepPlanner:
    """Warn an hour after opening and escalate after two, until someone replies."""

    fingerprint = "two-step"

    def plan(
        self, ticket: Ticket, events: Sequence[TicketEvent], fired: Collection[ActionKey], now: datetime
    ) -> SlaPlan:
        """The plan of ``ticket``."""
        if any(e.kind == "replied" for e in events):
            return SlaPlan(ticket.created_at + 2 * H, None, None, ())
        actions = (
            DueAction(ActionKind.WARNING, "first_response", 1, 0, ticket.created_at + H),
            DueAction(ActionKind.ESCALATION, "first_response", 1, 1, ticket.created_at + 2 * H),
        )
        return SlaPlan(ticket.created_at + 2 * H, None, None, tuple(a for a in actions if a.key not in fired))


def draft(minutes: int = 0) -> NewTicket:
    at = T0 + timedelta(minutes=minutes)
    return NewTicket(
        "acme",
        "gold",
        Address("slack", "T1", "C1", f"{minutes}"),
        "U1",
        "Ada",
        "s",
        None,
        Priority.HIGH,
        at,
        None,
        None,
    )


def notice(text: str) -> Outbound:
    return Outbound(Address("slack", channel="CTEAM"), Reply(ReplyKind.WARNING, text, ticket=1))


async def test_opening_plans_timers_and_derived_deadlines(store: Stores) -> None:
    store.timers.use_planner(TwoStepPlanner())
    ticket = await store.tickets.open_ticket(draft(), "h")
    assert ticket.first_response_due == T0 + 2 * H
    assert [(t.action, t.due, t.fired_at) for t in await store.timers.timers(1)] == [
        (ActionKind.WARNING, T0 + H, None),
        (ActionKind.ESCALATION, T0 + 2 * H, None),
    ]


async def test_claims_are_leased_earliest_first_and_exclusive(store: Stores) -> None:
    store.timers.use_planner(TwoStepPlanner())
    for minutes in (10, 0):
        await store.tickets.open_ticket(draft(minutes), "h")
    assert await store.timers.claim_due(T0 + H - timedelta(seconds=1), 10, "a", LEASE) == []
    due = await store.timers.claim_due(T0 + 3 * H, 3, "a", LEASE)
    assert [(w.ticket, w.action) for w in due] == [
        (2, ActionKind.WARNING),
        (1, ActionKind.WARNING),
        (2, ActionKind.ESCALATION),
    ]
    assert [(w.ticket, w.action) for w in await store.timers.claim_due(T0 + 3 * H, 10, "b", LEASE)] == [
        (1, ActionKind.ESCALATION)
    ]
    assert await store.timers.claim_due(T0 + 3 * H, 10, "c", LEASE) == []  # everything is leased
    again = await store.timers.claim_due(T0 + 3 * H + LEASE, 10, "c", LEASE)  # the leases ran out
    assert len(again) == 4


async def test_completing_fires_once_with_its_notice_event_and_change(store: Stores) -> None:
    store.timers.use_planner(TwoStepPlanner())
    await store.tickets.open_ticket(draft(), "h")
    [warning] = await store.timers.claim_due(T0 + H, 10, "a", LEASE)
    event = TicketEvent(1, T0 + H, "helpline", "sla_warning", "first_response")
    assert not await store.timers.complete_due(warning, "b", T0 + H, (notice("w"),), event)  # not b's lease
    assert await store.timers.complete_due(warning, "a", T0 + H, (notice("w"),), event, TicketChange(assignee="x"))
    assert not await store.timers.complete_due(warning, "a", T0 + H, (notice("w"),), event)  # already fired
    [queued] = await store.outbox.outbox(1)
    assert (queued.outbound, queued.sent_at, queued.attempts) == (notice("w"), None, 0)
    assert [t.fired_at for t in await store.timers.timers(1)] == [T0 + H, None]
    ticket = await store.tickets.get(1)
    assert ticket is not None and ticket.assignee == "x"
    assert [e.kind for e in await store.tickets.events(1)] == ["opened", "sla_warning"]


async def test_an_event_replans_pending_timers_and_keeps_fired_ones(store: Stores) -> None:
    store.timers.use_planner(TwoStepPlanner())
    await store.tickets.open_ticket(draft(), "h")
    [warning] = await store.timers.claim_due(T0 + H, 10, "a", LEASE)
    assert await store.timers.complete_due(warning, "a", T0 + H)
    [escalation] = await store.timers.claim_due(T0 + 2 * H, 10, "a", LEASE)
    await store.tickets.update(1, TicketChange(), TicketEvent(1, T0 + 2 * H, "slack:U9", "replied"))
    assert [(t.action, t.fired_at) for t in await store.timers.timers(1)] == [(ActionKind.WARNING, T0 + H)]
    assert not await store.timers.complete_due(escalation, "a", T0 + 2 * H)  # planned away while leased


async def test_an_action_is_not_completed_before_it_is_due(store: Stores) -> None:
    store.timers.use_planner(TwoStepPlanner())
    await store.tickets.open_ticket(draft(), "h")
    [warning] = await store.timers.claim_due(T0 + H, 1, "a", LEASE)
    assert not await store.timers.complete_due(warning, "a", T0 + H - timedelta(seconds=1))


async def test_the_outbox_is_leased_marked_sent_and_retried_after_failures(store: Stores) -> None:
    store.timers.use_planner(TwoStepPlanner())
    await store.tickets.open_ticket(draft(), "h")
    for work in await store.timers.claim_due(T0 + 2 * H, 10, "a", LEASE):
        assert await store.timers.complete_due(work, "a", T0 + 2 * H, (notice(work.action.value),))
    first, second = await store.outbox.claim_outbox(T0 + 2 * H, 10, "a", LEASE)
    assert await store.outbox.claim_outbox(T0 + 2 * H, 10, "b", LEASE) == []
    await store.outbox.outbox_sent(first.id, T0 + 2 * H)
    await store.outbox.outbox_failed(second.id, T0 + 2 * H, "slack is down", T0 + 3 * H)
    assert await store.outbox.claim_outbox(T0 + 3 * H - timedelta(seconds=1), 10, "b", LEASE) == []
    [retry] = await store.outbox.claim_outbox(T0 + 3 * H, 10, "b", LEASE)
    assert (retry.id, retry.attempts) == (second.id, 1)
    assert "notification_failed" in [e.kind for e in await store.tickets.events(1)]
    assert [item.sent_at for item in await store.outbox.outbox()] == [T0 + 2 * H, None]


async def test_replan_covers_active_tickets_and_remembers_the_fingerprint(store: Stores) -> None:
    await store.tickets.open_ticket(draft(), "h")  # no planner yet: nothing planned
    assert await store.timers.timers(1) == [] and await store.timers.sla_fingerprint() is None
    store.timers.use_planner(TwoStepPlanner())
    assert await store.timers.replan(None, T0, "two-step") == 1
    assert len(await store.timers.timers(1)) == 2 and await store.timers.sla_fingerprint() == "two-step"
    assert await store.timers.replan(None, T0, "three-step") == 1
    assert await store.timers.sla_fingerprint() == "three-step"


async def test_claims_skip_rows_locked_by_other_workers_on_postgresql() -> None:
    from sqlalchemy.dialects.postgresql.asyncpg import PGDialect_asyncpg
    from sqlalchemy.dialects.sqlite.aiosqlite import SQLiteDialect_aiosqlite

    from core.store.outbox import ready_notices
    from core.store.timers import due_timers

    for query in (due_timers(T0, 10), ready_notices(T0, 10)):
        postgres = PGDialect_asyncpg()  # type: ignore[no-untyped-call]
        assert str(query.compile(dialect=postgres)).endswith("FOR UPDATE SKIP LOCKED")
        assert "FOR UPDATE" not in str(query.compile(dialect=SQLiteDialect_aiosqlite()))  # its write lock serialises


async def test_an_idle_claim_uses_the_pending_index(tmp_path: Path) -> None:
    engine = create_engine_for(sqlite_url(tmp_path / "h.sqlite3"))
    try:
        await upgrade_schema(engine)
        from core.store.timers import due_timers

        probe = due_timers(T0, 1, lock=False).with_only_columns(sla_timers.c.id)
        compiled = probe.compile(engine.sync_engine, compile_kwargs={"literal_binds": True})
        async with engine.connect() as conn:
            plan = (await conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}")).all()
    finally:
        await engine.dispose()
    assert any("ix_sla_timers_pending_due" in str(row) for row in plan), plan
