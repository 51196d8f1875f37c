"""What every SQL port shares: its engine, one transaction per method, the ticket log's writes, one-time redemption."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import insert, select, update

from core.store import rows
from core.store.engine import one_reader, writer
from core.store.planning import Planning
from core.store.schema import ticket_events, tickets
from core.tickets.records import TicketNotFoundError, TicketStatus

if TYPE_CHECKING:
    from contextlib import AbstractAsyncContextManager
    from datetime import datetime

    from sqlalchemy import Column, Executable, RowMapping, Table
    from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

    from core.tickets.records import TicketEvent

ACTIVE = tickets.c.status.not_in([TicketStatus.RESOLVED.value, TicketStatus.CLOSED.value])


class SqlPort:
    """A store port in a SQL database; each method is one transaction and writers take the write lock.

    The ports of one database share one ``Planning``, so a port that logs a ticket event plans the
    ticket again in the same transaction with the planner the timers were given.
    """

    def __init__(self, engine: AsyncEngine, planning: Planning | None = None) -> None:
        self._engine = engine
        self._writer = writer(engine)
        self._one_reader = one_reader(engine)
        self.planning = planning if planning is not None else Planning()

    def _write(self) -> AbstractAsyncContextManager[AsyncConnection]:
        return self._writer.begin()

    async def _read(self, query: Executable) -> list[RowMapping]:
        async with self._one_reader.connect() as conn:
            return list((await conn.execute(query)).mappings())

    async def _exists(self, query: Executable) -> bool:
        return bool(await self._read(query))

    async def _require_ticket(self, conn: AsyncConnection, number: int) -> None:
        found = await conn.execute(select(tickets.c.id).where(tickets.c.id == number))
        if found.first() is None:
            raise TicketNotFoundError(number)

    async def _insert_event(self, conn: AsyncConnection, event: TicketEvent) -> None:
        await conn.execute(insert(ticket_events).values(rows.event_values(event)))

    async def _redeem_once(self, table: Table, key: Column[str], value: str, now: datetime) -> RowMapping | None:
        """Mark the row ``key == value`` used if it is unused and unexpired at ``now``, and read it back; else None.

        The condition and the change are one statement: a racing redemption finds ``used_at`` set and changes
        nothing, however the two interleave (a row lock on PostgreSQL, the write lock on SQLite).
        """
        c = table.c
        async with self._write() as conn:
            changed = await conn.execute(
                update(table).where(key == value, c.used_at.is_(None), c.expires_at > now).values(used_at=now)
            )
            if changed.rowcount != 1:
                return None
            return (await conn.execute(select(table).where(key == value))).mappings().one()
