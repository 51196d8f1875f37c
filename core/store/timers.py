"""SLA timers in SQL: planned from each ticket's events, leased to workers when due, marked fired once."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, insert, or_, select, update

from core.sla.plan import ActionKind
from core.sla.records import DueWork, TimerRecord
from core.store import rows
from core.store.base import ACTIVE, SqlPort
from core.store.outbox_json import outbound_values
from core.store.planning import timer_key
from core.store.schema import outbox, sla_timers, store_meta, ticket_events, tickets

if TYPE_CHECKING:
    from sqlalchemy import Select

    from core.messages import Outbound
    from core.sla.ports import SlaPlanner
    from core.tickets.records import TicketChange, TicketEvent

FINGERPRINT = "sla_fingerprint"
_PENDING = sla_timers.c.fired_at.is_(None)
_REPLAN_BATCH = 500  # tickets per transaction, so writers are not held off for long


def due_timers(now: datetime, limit: int, *, lock: bool = True) -> Select[Any]:
    """Unfired timers due by ``now`` whose lease is free or expired, earliest first, locked for this transaction.

    ``SKIP LOCKED`` lets concurrent workers on PostgreSQL each take different rows; SQLite ignores the clause
    (its write lock serialises claims instead).
    """
    free = or_(sla_timers.c.lease_until.is_(None), sla_timers.c.lease_until <= now)
    query = select(sla_timers).where(_PENDING, sla_timers.c.due_at <= now, free)
    query = query.order_by(sla_timers.c.due_at, sla_timers.c.id).limit(limit)
    return query.with_for_update(skip_locked=True) if lock else query


class SqlSlaTimers(SqlPort):
    """The ``SlaTimers`` port in a SQL database; its planner is the one every port of the database plans with."""

    def use_planner(self, planner: SlaPlanner) -> None:
        """Plan tickets with ``planner`` from now on."""
        self.planning.planner = planner

    async def replan(self, numbers: Sequence[int] | None, now: datetime, fingerprint: str | None = None) -> int:
        """Plan these tickets again (every active one when None) and remember ``fingerprint``; returns how many."""
        if numbers is None:
            numbers = [r["id"] for r in await self._read(select(tickets.c.id).where(ACTIVE).order_by(tickets.c.id))]
        for start in range(0, len(numbers), _REPLAN_BATCH):
            async with self._write() as conn:
                for number in numbers[start : start + _REPLAN_BATCH]:
                    await self.planning.replan(conn, number, now)
        if fingerprint is not None:
            async with self._write() as conn:
                await conn.execute(delete(store_meta).where(store_meta.c.key == FINGERPRINT))
                await conn.execute(insert(store_meta).values(key=FINGERPRINT, value=fingerprint))
        return len(numbers)

    async def sla_fingerprint(self) -> str | None:
        """The planner fingerprint the active tickets were last planned with."""
        found = await self._read(select(store_meta.c.value).where(store_meta.c.key == FINGERPRINT))
        return str(found[0]["value"]) if found else None

    async def claim_due(self, now: datetime, limit: int, owner: str, lease: timedelta) -> list[DueWork]:
        """Lease up to ``limit`` unfired actions due at ``now``, earliest first, to ``owner`` for ``lease``."""
        # A read first: a tick with nothing due takes no write lock at all.
        if not await self._read(due_timers(now, 1, lock=False).with_only_columns(sla_timers.c.id)):
            return []
        until = now + lease
        async with self._write() as conn:
            found = list((await conn.execute(due_timers(now, limit))).mappings())
            if found:
                ids = [r["id"] for r in found]
                await conn.execute(
                    update(sla_timers).where(sla_timers.c.id.in_(ids)).values(lease_owner=owner, lease_until=until)
                )
        return [
            DueWork(
                r["id"],
                r["ticket_id"],
                ActionKind(r["action"]),
                r["clock"],
                r["instance"],
                r["level"],
                r["due_at"],
                until,
            )
            for r in found
        ]

    async def complete_due(
        self,
        work: DueWork,
        owner: str,
        now: datetime,
        notices: Sequence[Outbound] = (),
        event: TicketEvent | None = None,
        change: TicketChange | None = None,
    ) -> bool:
        """Mark ``work`` fired and queue ``notices`` in the outbox (with ``event`` and ``change``), together."""
        mine = (
            sla_timers.c.id == work.id,
            _PENDING,
            sla_timers.c.lease_owner == owner,
            sla_timers.c.due_at <= now,
        )
        async with self._write() as conn:
            # The ticket row first, as every replan takes it: a desk update replanning this ticket at the same
            # moment then waits for us (or we for it) instead of the two locking each other's rows (a deadlock).
            await conn.execute(select(tickets.c.id).where(tickets.c.id == work.ticket).with_for_update())
            marked = await conn.execute(
                update(sla_timers).where(*mine).values(fired_at=now, lease_owner=None, lease_until=None)
            )
            if marked.rowcount != 1:
                return False
            for notice in notices:
                values = {**outbound_values(notice), "ticket_id": work.ticket, "timer_id": work.id}
                await conn.execute(insert(outbox).values(**values, created_at=now, attempts=0))
            if change is not None:
                fields = {**rows.change_fields(change), "updated_at": now}
                await conn.execute(update(tickets).where(tickets.c.id == work.ticket).values(fields))
            if event is not None:
                await conn.execute(insert(ticket_events).values(rows.event_values(event)))
            await self.planning.replan(conn, work.ticket, now)
        return True

    async def timers(self, number: int) -> list[TimerRecord]:
        """A ticket's planned and fired SLA actions, by due time."""
        query = select(sla_timers).where(sla_timers.c.ticket_id == number)
        found = await self._read(query.order_by(sla_timers.c.due_at, sla_timers.c.id))
        return [TimerRecord(*timer_key(r), r["due_at"], r["fired_at"]) for r in found]
