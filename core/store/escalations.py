"""Manual escalations in SQL, unique per ticket, deadline and level; the SLA worker's fired levels beside them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError

from core.store import rows
from core.store.base import SqlPort
from core.store.schema import escalations, outbox, sla_timers
from core.tickets.records import TicketEvent

if TYPE_CHECKING:
    from sqlalchemy import ColumnElement

    from core.tickets.records import Escalation


class SqlEscalations(SqlPort):
    """The ``Escalations`` port in a SQL database."""

    async def claim_escalation(self, escalation: Escalation) -> bool:
        """Record an escalation and its event; False if this ticket, deadline and level was already escalated.

        Uniqueness is enforced by the database, so it holds across restarts and processes.
        """
        event = TicketEvent(
            escalation.ticket, escalation.at, rows.SYSTEM_ACTOR, rows.ESCALATED, rows.escalation_detail(escalation)
        )
        try:
            async with self._write() as conn:
                await self._require_ticket(conn, escalation.ticket)
                await conn.execute(insert(escalations).values(rows.escalation_values(escalation)))
                await self._insert_event(conn, event)
        except IntegrityError:
            if await self._exists(select(escalations.c.id).where(*_same_escalation(escalation))):
                return False
            raise
        return True

    async def release_escalation(self, escalation: Escalation, reason: str) -> None:
        """Forget a claimed escalation whose notice could not be delivered, so it is tried again.

        The failure is logged at the escalation's own time (the port passes no clock); releasing
        an escalation that was never claimed changes nothing.
        """
        detail = f"{rows.escalation_detail(escalation)}: {reason}"
        failed = TicketEvent(escalation.ticket, escalation.at, rows.SYSTEM_ACTOR, rows.ESCALATION_FAILED, detail)
        async with self._write() as conn:
            released = await conn.execute(delete(escalations).where(*_same_escalation(escalation)))
            if released.rowcount:
                await self._insert_event(conn, failed)

    async def escalations(self, number: int) -> list[Escalation]:
        """A ticket's escalations, oldest first."""
        query = select(escalations).where(escalations.c.ticket_id == number)
        found = [rows.escalation_from(row) for row in await self._read(query)]
        # Escalation levels the SLA worker fired live in the timers table, with their notice in the outbox.
        fired = (
            select(sla_timers.c.clock, sla_timers.c.level, sla_timers.c.fired_at, outbox.c.address)
            .join(outbox, outbox.c.timer_id == sla_timers.c.id)
            .where(
                sla_timers.c.ticket_id == number,
                sla_timers.c.action == "escalation",
                sla_timers.c.fired_at.is_not(None),
            )
        )
        found += [
            rows.fired_escalation(number, r["clock"], r["level"], r["address"], r["fired_at"])
            for r in await self._read(fired)
        ]
        return sorted(found, key=lambda e: e.at)


def _same_escalation(escalation: Escalation) -> tuple[ColumnElement[bool], ...]:
    return (
        escalations.c.ticket_id == escalation.ticket,
        escalations.c.deadline == escalation.deadline.value,
        escalations.c.level == escalation.level,
    )
