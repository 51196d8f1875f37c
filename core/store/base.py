"""What every SQL port shares: its engine, one transaction per method, and the ticket log's writes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import insert, select

from core.store import rows
from core.store.engine import writer
from core.store.planning import Planning
from core.store.schema import ticket_events, tickets
from core.tickets.records import TicketNotFoundError, TicketStatus

if TYPE_CHECKING:
    from contextlib import AbstractAsyncContextManager

    from sqlalchemy import Executable, RowMapping
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
        self.planning = planning if planning is not None else Planning()

    def _write(self) -> AbstractAsyncContextManager[AsyncConnection]:
        return self._writer.begin()

    async def _read(self, query: Executable) -> list[RowMapping]:
        async with self._engine.connect() as conn:
            return list((await conn.execute(query)).mappings())

    async def _exists(self, query: Executable) -> bool:
        return bool(await self._read(query))

    async def _require_ticket(self, conn: AsyncConnection, number: int) -> None:
        found = await conn.execute(select(tickets.c.id).where(tickets.c.id == number))
        if found.first() is None:
            raise TicketNotFoundError(number)

    async def _insert_event(self, conn: AsyncConnection, event: TicketEvent) -> None:
        await conn.execute(insert(ticket_events).values(rows.event_values(event)))
