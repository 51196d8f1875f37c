"""The SQL store's SLA half: timers planned from each ticket's events, claimed by lease, and the outbox."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, insert, or_, select, update

from core.sla.plan import ActionKey, ActionKind
from core.sla.records import DueWork, OutboxItem, TimerRecord
from core.store import rows
from core.store.outbox_json import outbound_from, outbound_values
from core.store.schema import outbox, sla_timers, store_meta, ticket_events, tickets
from core.tickets.records import TicketStatus

if TYPE_CHECKING:
    from contextlib import AbstractAsyncContextManager

    from sqlalchemy import Executable, RowMapping, Select
    from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

    from core.messages import Outbound
    from core.sla.ports import SlaPlanner
    from core.tickets.records import TicketChange, TicketEvent

FINGERPRINT = "sla_fingerprint"
_ACTIVE = tickets.c.status.not_in([TicketStatus.RESOLVED.value, TicketStatus.CLOSED.value])
_PENDING = sla_timers.c.fired_at.is_(None)


def due_timers(now: datetime, limit: int, *, lock: bool = True) -> Select[Any]:
    """Unfired timers due by ``now`` whose lease is free or expired, earliest first, locked for this transaction.

    ``SKIP LOCKED`` lets concurrent workers on PostgreSQL each take different rows; SQLite ignores the clause
    (its write lock serialises claims instead).
    """
    free = or_(sla_timers.c.lease_until.is_(None), sla_timers.c.lease_until <= now)
    query = select(sla_timers).where(_PENDING, sla_timers.c.due_at <= now, free)
    query = query.order_by(sla_timers.c.due_at, sla_timers.c.id).limit(limit)
    return query.with_for_update(skip_locked=True) if lock else query


def ready_notices(now: datetime, limit: int, *, lock: bool = True) -> Select[Any]:
    """Unsent outbox rows whose lease or retry time has passed, oldest first, locked for this transaction."""
    ready = outbox.c.sent_at.is_(None), or_(outbox.c.lease_until.is_(None), outbox.c.lease_until <= now)
    query = select(outbox).where(*ready).order_by(outbox.c.id).limit(limit)
    return query.with_for_update(skip_locked=True) if lock else query


def _key(row: RowMapping) -> ActionKey:
    return (ActionKind(row["action"]), row["clock"], row["instance"], row["level"])


class SqlSlaStore:
    """Timers, outbox and replanning; mixed into ``SqlTicketStore``, which provides the connections."""

    _engine: AsyncEngine
    _planner: SlaPlanner | None = None

    def _write(self) -> AbstractAsyncContextManager[AsyncConnection]:
        raise NotImplementedError

    async def _read(self, query: Executable) -> list[RowMapping]:
        raise NotImplementedError

    def use_planner(self, planner: SlaPlanner) -> None:
        """Plan tickets with ``planner`` from now on."""
        self._planner = planner

    async def _replan(self, conn: AsyncConnection, number: int, now: datetime) -> None:
        """Derive the ticket's deadlines and due work again; keep fired rows, move or drop pending ones."""
        if self._planner is None:
            return
        # FOR UPDATE serialises plans of one ticket on PostgreSQL; SQLite's write lock already does.
        found = (await conn.execute(select(tickets).where(tickets.c.id == number).with_for_update())).mappings()
        row = found.one_or_none()
        if row is None:
            return
        ticket = rows.ticket_from(row)
        log = await conn.execute(
            select(ticket_events)
            .where(ticket_events.c.ticket_id == number)
            .order_by(ticket_events.c.at, ticket_events.c.id)
        )
        events = [rows.event_from(r) for r in log.mappings()]
        timers = list((await conn.execute(select(sla_timers).where(sla_timers.c.ticket_id == number))).mappings())
        fired = {_key(t) for t in timers if t["fired_at"] is not None}
        result = self._planner.plan(ticket, events, fired, now)
        deadlines = {
            "first_response_due": result.first_response_due,
            "resolution_due": result.resolution_due,
            "next_response_due": result.next_response_due,
        }
        if any(row[name] != value for name, value in deadlines.items()):
            await conn.execute(update(tickets).where(tickets.c.id == number).values(deadlines))
        wanted = {action.key: action for action in result.actions}
        pending = {_key(t): t for t in timers if t["fired_at"] is None}
        gone = [t["id"] for key, t in pending.items() if key not in wanted]
        if gone:
            await conn.execute(delete(sla_timers).where(sla_timers.c.id.in_(gone)))
        for key, action in wanted.items():
            if key in fired:
                continue
            if key not in pending:
                values = {"ticket_id": number, "action": key[0].value, "clock": key[1], "instance": key[2]}
                await conn.execute(insert(sla_timers).values(**values, level=key[3], due_at=action.due))
            elif pending[key]["due_at"] != action.due:
                await conn.execute(
                    update(sla_timers).where(sla_timers.c.id == pending[key]["id"]).values(due_at=action.due)
                )

    async def replan(self, numbers: Sequence[int] | None, now: datetime, fingerprint: str | None = None) -> int:
        """Plan these tickets again (every active one when None) and remember ``fingerprint``; returns how many."""
        if numbers is None:
            numbers = [r["id"] for r in await self._read(select(tickets.c.id).where(_ACTIVE).order_by(tickets.c.id))]
        for start in range(0, len(numbers), 500):  # bounded transactions, so writers are not held off for long
            async with self._write() as conn:
                for number in numbers[start : start + 500]:
                    await self._replan(conn, number, now)
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
            await self._replan(conn, work.ticket, now)
        return True

    async def timers(self, number: int) -> list[TimerRecord]:
        """A ticket's planned and fired SLA actions, by due time."""
        query = select(sla_timers).where(sla_timers.c.ticket_id == number)
        found = await self._read(query.order_by(sla_timers.c.due_at, sla_timers.c.id))
        return [TimerRecord(*_key(r), r["due_at"], r["fired_at"]) for r in found]

    async def claim_outbox(self, now: datetime, limit: int, owner: str, lease: timedelta) -> list[OutboxItem]:
        """Lease up to ``limit`` unsent notifications (oldest first) whose lease or retry time has passed."""
        if not await self._read(ready_notices(now, 1, lock=False).with_only_columns(outbox.c.id)):
            return []
        async with self._write() as conn:
            found = list((await conn.execute(ready_notices(now, limit))).mappings())
            if found:
                ids = [r["id"] for r in found]
                leased = {"lease_owner": owner, "lease_until": now + lease}
                await conn.execute(update(outbox).where(outbox.c.id.in_(ids)).values(leased))
        return [_item(r) for r in found]

    async def outbox_sent(self, item: int, now: datetime) -> None:
        """Mark a notification delivered."""
        async with self._write() as conn:
            sent = {"sent_at": now, "lease_owner": None, "lease_until": None}
            await conn.execute(update(outbox).where(outbox.c.id == item, outbox.c.sent_at.is_(None)).values(sent))

    async def outbox_failed(self, item: int, now: datetime, reason: str, retry_at: datetime) -> None:
        """Record a failed delivery (and an event on its ticket); it is tried again from ``retry_at``."""
        async with self._write() as conn:
            found = (await conn.execute(select(outbox).where(outbox.c.id == item))).mappings().one_or_none()
            if found is None or found["sent_at"] is not None:
                return
            retry = {
                "attempts": found["attempts"] + 1,
                "last_error": reason,
                "lease_owner": None,
                "lease_until": retry_at,
            }
            await conn.execute(update(outbox).where(outbox.c.id == item).values(retry))
            if found["ticket_id"] is not None:
                event = rows.failed_notice_event(found["ticket_id"], now, found["payload"], reason)
                await conn.execute(insert(ticket_events).values(rows.event_values(event)))

    async def outbox(self, number: int | None = None) -> list[OutboxItem]:
        """Every notification queued for a ticket (all when None), oldest first, sent or not."""
        query = select(outbox).order_by(outbox.c.id)
        if number is not None:
            query = query.where(outbox.c.ticket_id == number)
        return [_item(r) for r in await self._read(query)]


def _item(row: RowMapping) -> OutboxItem:
    return OutboxItem(
        row["id"], row["ticket_id"], outbound_from(row["address"], row["payload"]), row["attempts"], row["sent_at"]
    )
