"""Tickets and their audit log in SQL; every write that logs an event plans the ticket again in its transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import case, insert, or_, select, update

from core.sla.events import SLA_KINDS
from core.store import rows
from core.store.base import ACTIVE, SqlPort
from core.store.conversations import keep_message
from core.store.schema import messages, ticket_events, tickets
from core.tickets.records import Priority, TicketEvent, TicketNotFoundError

if TYPE_CHECKING:
    from datetime import datetime

    from sqlalchemy import Executable

    from core.messages import Address
    from core.tickets.records import ConversationMessage, NewTicket, Ticket, TicketChange

_URGENCY = case({p.value: p.rank for p in Priority}, value=tickets.c.priority, else_=len(Priority))
MOST_URGENT_FIRST = (_URGENCY, tickets.c.created_at, tickets.c.id)


class SqlTickets(SqlPort):
    """The ``Tickets`` port in a SQL database."""

    async def _first_ticket(self, query: Executable) -> Ticket | None:
        found = await self._read(query)
        return rows.ticket_from(found[0]) if found else None

    async def open_ticket(self, draft: NewTicket, actor: str) -> Ticket:
        """Create a ticket, attach its thread's unattached messages and log an ``opened`` event."""
        async with self._write() as conn:
            created = await conn.execute(insert(tickets).values(rows.ticket_values(draft)).returning(*tickets.c))
            ticket = rows.ticket_from(created.mappings().one())
            unattached = rows.in_thread(messages, draft.address), messages.c.ticket_id.is_(None)
            await conn.execute(update(messages).where(*unattached).values(ticket_id=ticket.number))
            opened = TicketEvent(ticket.number, draft.created_at, actor, rows.OPENED, rows.opened_detail(draft))
            await self._insert_event(conn, opened)
            await self.planning.replan(conn, ticket.number, draft.created_at)
        if self.planning.planner is not None:
            return await self.get(ticket.number) or ticket
        return ticket

    async def get(self, number: int) -> Ticket | None:
        """The ticket with this number, if any."""
        return await self._first_ticket(select(tickets).where(tickets.c.id == number))

    async def active_ticket_for(self, address: Address) -> Ticket | None:
        """The newest ticket of this thread that is not resolved or closed."""
        query = select(tickets).where(rows.in_thread(tickets, address), ACTIVE)
        return await self._first_ticket(query.order_by(tickets.c.id.desc()).limit(1))

    async def latest_ticket_for(self, address: Address) -> Ticket | None:
        """The newest ticket of this thread, whatever its status."""
        query = select(tickets).where(rows.in_thread(tickets, address))
        return await self._first_ticket(query.order_by(tickets.c.id.desc()).limit(1))

    async def tickets_opened_by(self, platform: str, requester_id: str, since: datetime) -> list[Ticket]:
        """Tickets this requester opened on this platform at or after ``since``, oldest first."""
        mine = tickets.c.platform == platform, tickets.c.requester_id == requester_id, tickets.c.created_at >= since
        query = select(tickets).where(*mine).order_by(tickets.c.created_at, tickets.c.id)
        return [rows.ticket_from(row) for row in await self._read(query)]

    async def update(
        self,
        number: int,
        change: TicketChange,
        event: TicketEvent,
        message: ConversationMessage | None = None,
    ) -> Ticket:
        """Apply ``change``, log ``event`` and keep ``message`` on the ticket, together.

        Raises ``TicketNotFoundError`` for an unknown number. A message whose platform id was
        already seen is not kept twice; the change and the event still apply.
        """
        _check_belongs(number, event, message)
        values = {**rows.change_fields(change), "updated_at": event.at}
        async with self._write() as conn:
            changed = await conn.execute(
                update(tickets).where(tickets.c.id == number).values(values).returning(*tickets.c)
            )
            row = changed.mappings().one_or_none()
            if row is None:
                raise TicketNotFoundError(number)
            await self._insert_event(conn, event)
            if message is not None:
                await keep_message(conn, message, number)
            if self.planning.planner is not None:
                await self.planning.replan(conn, number, event.at)
                row = (await conn.execute(select(tickets).where(tickets.c.id == number))).mappings().one()
        return rows.ticket_from(row)

    async def add_event(self, event: TicketEvent) -> None:
        """Log an event that changes no field (e.g. a failed notification)."""
        async with self._write() as conn:
            await self._require_ticket(conn, event.ticket)
            await self._insert_event(conn, event)
            if event.kind in SLA_KINDS:
                await self.planning.replan(conn, event.ticket, event.at)

    async def list_tickets(
        self,
        *,
        active_only: bool = True,
        assignee: str | None = None,
        limit: int = 50,
    ) -> list[Ticket]:
        """Tickets, most urgent first (priority, then oldest)."""
        query = select(tickets).order_by(*MOST_URGENT_FIRST).limit(max(limit, 0))
        if active_only:
            query = query.where(ACTIVE)
        if assignee is not None:
            query = query.where(tickets.c.assignee == assignee)
        return [rows.ticket_from(row) for row in await self._read(query)]

    async def events(self, number: int) -> list[TicketEvent]:
        """A ticket's audit log, oldest first."""
        query = select(ticket_events).where(ticket_events.c.ticket_id == number)
        found = await self._read(query.order_by(ticket_events.c.at, ticket_events.c.id))
        return [rows.event_from(row) for row in found]

    async def overdue(self, now: datetime) -> list[Ticket]:
        """Active tickets with a first-response deadline passed unanswered or a resolution deadline passed."""
        late = or_(
            (tickets.c.first_response_due < now) & tickets.c.first_response_at.is_(None),
            (tickets.c.resolution_due < now) & tickets.c.resolved_at.is_(None),
            tickets.c.next_response_due < now,
        )
        query = select(tickets).where(ACTIVE, late).order_by(*MOST_URGENT_FIRST)
        return [rows.ticket_from(row) for row in await self._read(query)]


def _check_belongs(number: int, event: TicketEvent, message: ConversationMessage | None) -> None:
    # A mismatch is a caller bug; storing the event under another ticket would corrupt its log.
    if event.ticket != number:
        raise ValueError(f"event for ticket #{event.ticket} passed to update of #{number}")
    if message is not None and message.ticket not in (None, number):
        raise ValueError(f"message of ticket #{message.ticket} passed to update of #{number}")
