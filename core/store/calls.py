"""Booked calls in SQL: a booking checks for overlaps and queues its notices in one transaction."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from core.calls.records import BookedCall, NewCall
from core.messages import Address
from core.store.base import SqlPort
from core.store.outbox_json import outbound_values
from core.store.schema import outbox
from core.store.schema_calls import calls

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    from sqlalchemy import RowMapping
    from sqlalchemy.ext.asyncio import AsyncConnection

    from core.messages import Outbound

_c = calls.c


class SqlCalls(SqlPort):
    """The ``Calls`` port in a SQL database."""

    async def book(self, call: NewCall, notices: Sequence[Outbound]) -> BookedCall | None:
        """Insert the call unless one overlaps it, and queue ``notices`` with it."""
        try:
            async with self._write() as conn:
                clash = await conn.execute(select(_c.id).where(_c.start_at < call.end, _c.end_at > call.start))
                if clash.first() is not None:
                    return None
                done = await conn.execute(insert(calls).values(_values(call)).returning(_c.id))
                call_id = int(done.scalar_one())
                await _queue(conn, notices, call.booked_at or call.start)
        except IntegrityError:  # another booking of the same start won the race
            return None
        return BookedCall(**vars(call), call_id=call_id)

    async def overlapping(self, start: datetime, end: datetime) -> list[BookedCall]:
        """The calls overlapping ``start``–``end``."""
        query = select(calls).where(_c.start_at < end, _c.end_at > start).order_by(_c.start_at)
        return [_call(r) for r in await self._read(query)]

    async def of_holder(self, holder: str, since: datetime) -> list[BookedCall]:
        """The holder's calls from ``since``."""
        query = select(calls).where(_c.holder == holder, _c.start_at >= since).order_by(_c.start_at)
        return [_call(r) for r in await self._read(query)]

    async def due_reminders(self, until: datetime, after: datetime) -> list[BookedCall]:
        """Unreminded calls starting in (``after``, ``until``]."""
        query = select(calls).where(_c.reminded_at.is_(None), _c.start_at > after, _c.start_at <= until)
        return [_call(r) for r in await self._read(query.order_by(_c.start_at))]

    async def remind(self, call_id: int, notices: Sequence[Outbound], at: datetime) -> bool:
        """Mark the call reminded (a conditional update: one worker wins) and queue the reminders."""
        async with self._write() as conn:
            changed = await conn.execute(
                update(calls).where(_c.id == call_id, _c.reminded_at.is_(None)).values(reminded_at=at)
            )
            if changed.rowcount != 1:
                return False
            await _queue(conn, notices, at)
        return True

    async def of_person(self, person: str) -> list[BookedCall]:
        """The person's calls."""
        return [_call(r) for r in await self._read(select(calls).where(_c.person == person).order_by(_c.start_at))]

    async def forget(self, person: str) -> int:
        """Delete the person's calls."""
        async with self._write() as conn:
            gone = await conn.execute(delete(calls).where(_c.person == person))
        return int(gone.rowcount or 0)


async def _queue(conn: AsyncConnection, notices: Sequence[Outbound], at: datetime) -> None:
    for notice in notices:
        await conn.execute(insert(outbox).values(**outbound_values(notice), created_at=at, attempts=0))


def _values(call: NewCall) -> dict[str, Any]:
    a = call.address
    return {
        "holder": call.holder,
        "person": call.person,
        "platform": a.platform,
        "workspace": a.workspace,
        "channel": a.channel,
        "thread": a.thread,
        "ticket_id": call.ticket,
        "tier": call.tier,
        "start_at": call.start,
        "end_at": call.end,
        "link": call.link,
        "agent": call.agent,
        "booked_at": call.booked_at or call.start,
    }


def _call(row: RowMapping) -> BookedCall:
    start = row["start_at"]
    return BookedCall(
        holder=row["holder"],
        person=row["person"],
        address=Address(row["platform"], row["workspace"], row["channel"], row["thread"]),
        ticket=row["ticket_id"],
        tier=row["tier"],
        start=start,
        length=timedelta(seconds=(row["end_at"] - start).total_seconds()),
        link=row["link"],
        agent=row["agent"],
        booked_at=row["booked_at"],
        call_id=row["id"],
        reminded_at=row["reminded_at"],
    )
