"""The ticket store over SQLAlchemy: SQLite for a single host, PostgreSQL when several share it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import case, delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from core.sla.events import SLA_KINDS
from core.store import rows
from core.store.engine import writer
from core.store.job_queue import SqlJobQueue
from core.store.schema import deflections, deliveries, escalations, messages, outbox, sla_timers, ticket_events, tickets
from core.store.sla_store import SqlSlaStore
from core.stores import Stores
from core.tickets.records import FirstResponse, Priority, TicketEvent, TicketNotFoundError, TicketStatus

if TYPE_CHECKING:
    from contextlib import AbstractAsyncContextManager
    from datetime import datetime

    from sqlalchemy import ColumnElement, Executable, RowMapping
    from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

    from core.messages import Address
    from core.sla.ports import SlaPlanner
    from core.tickets.records import ConversationMessage, Escalation, NewTicket, Ticket, TicketChange

_ACTIVE = tickets.c.status.not_in([TicketStatus.RESOLVED.value, TicketStatus.CLOSED.value])
_URGENCY = case({p.value: p.rank for p in Priority}, value=tickets.c.priority, else_=len(Priority))
_MOST_URGENT_FIRST = (_URGENCY, tickets.c.created_at, tickets.c.id)


class SqlTicketStore(SqlSlaStore):
    """A ``TicketStore`` in a SQL database; each method is one transaction and writers take the write lock."""

    def __init__(self, engine: AsyncEngine, planner: SlaPlanner | None = None) -> None:
        self._engine = engine
        self._writer = writer(engine)
        self._planner = planner

    def _write(self) -> AbstractAsyncContextManager[AsyncConnection]:
        return self._writer.begin()

    async def _read(self, query: Executable) -> list[RowMapping]:
        async with self._engine.connect() as conn:
            return list((await conn.execute(query)).mappings())

    async def _first_ticket(self, query: Executable) -> Ticket | None:
        found = await self._read(query)
        return rows.ticket_from(found[0]) if found else None

    async def _exists(self, query: Executable) -> bool:
        return bool(await self._read(query))

    async def _require_ticket(self, conn: AsyncConnection, number: int) -> None:
        found = await conn.execute(select(tickets.c.id).where(tickets.c.id == number))
        if found.first() is None:
            raise TicketNotFoundError(number)

    async def _insert_event(self, conn: AsyncConnection, event: TicketEvent) -> None:
        await conn.execute(insert(ticket_events).values(rows.event_values(event)))

    async def _keep_message(self, conn: AsyncConnection, message: ConversationMessage, ticket: int | None) -> bool:
        # The unique (platform, external_id) constraint decides, inside a savepoint: on PostgreSQL a
        # failed statement aborts its whole transaction, and the ticket change around it must still apply.
        try:
            async with conn.begin_nested():
                await conn.execute(insert(messages).values(rows.message_values(message, ticket)))
        except IntegrityError:
            if message.external_id and (await conn.execute(_same_message(message))).first() is not None:
                return False
            raise
        return True

    async def record_message(self, message: ConversationMessage) -> bool:
        """Keep a message; False (and nothing stored) if its platform id was already seen."""
        try:
            async with self._write() as conn:
                if message.ticket is not None:
                    await self._require_ticket(conn, message.ticket)
                await conn.execute(insert(messages).values(rows.message_values(message, message.ticket)))
        except IntegrityError:
            # The unique (platform, external_id) constraint decides, so two processes cannot both keep it.
            if message.external_id and await self._exists(_same_message(message)):
                return False
            raise
        return True

    async def conversation(self, address: Address, *, limit: int = 50) -> list[ConversationMessage]:
        """The thread's messages not yet attached to any ticket, oldest first (the latest ``limit``)."""
        query = (
            select(messages)
            .where(rows.in_thread(messages, address), messages.c.ticket_id.is_(None))
            .order_by(messages.c.at.desc(), messages.c.id.desc())
            .limit(max(limit, 0))
        )
        return [rows.message_from(row) for row in reversed(await self._read(query))]

    async def open_ticket(self, draft: NewTicket, actor: str) -> Ticket:
        """Create a ticket, attach its thread's unattached messages and log an ``opened`` event."""
        async with self._write() as conn:
            created = await conn.execute(insert(tickets).values(rows.ticket_values(draft)).returning(*tickets.c))
            ticket = rows.ticket_from(created.mappings().one())
            unattached = rows.in_thread(messages, draft.address), messages.c.ticket_id.is_(None)
            await conn.execute(update(messages).where(*unattached).values(ticket_id=ticket.number))
            opened = TicketEvent(ticket.number, draft.created_at, actor, rows.OPENED, rows.opened_detail(draft))
            await self._insert_event(conn, opened)
            await self._replan(conn, ticket.number, draft.created_at)
        if self._planner is not None:
            return await self.get(ticket.number) or ticket
        return ticket

    async def get(self, number: int) -> Ticket | None:
        """The ticket with this number, if any."""
        return await self._first_ticket(select(tickets).where(tickets.c.id == number))

    async def active_ticket_for(self, address: Address) -> Ticket | None:
        """The newest ticket of this thread that is not resolved or closed."""
        query = select(tickets).where(rows.in_thread(tickets, address), _ACTIVE)
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
                await self._keep_message(conn, message, number)
            if self._planner is not None:
                await self._replan(conn, number, event.at)
                row = (await conn.execute(select(tickets).where(tickets.c.id == number))).mappings().one()
        return rows.ticket_from(row)

    async def add_event(self, event: TicketEvent) -> None:
        """Log an event that changes no field (e.g. a failed notification)."""
        async with self._write() as conn:
            await self._require_ticket(conn, event.ticket)
            await self._insert_event(conn, event)
            if event.kind in SLA_KINDS:
                await self._replan(conn, event.ticket, event.at)

    async def list_tickets(
        self,
        *,
        active_only: bool = True,
        assignee: str | None = None,
        limit: int = 50,
    ) -> list[Ticket]:
        """Tickets, most urgent first (priority, then oldest)."""
        query = select(tickets).order_by(*_MOST_URGENT_FIRST).limit(max(limit, 0))
        if active_only:
            query = query.where(_ACTIVE)
        if assignee is not None:
            query = query.where(tickets.c.assignee == assignee)
        return [rows.ticket_from(row) for row in await self._read(query)]

    async def events(self, number: int) -> list[TicketEvent]:
        """A ticket's audit log, oldest first."""
        query = select(ticket_events).where(ticket_events.c.ticket_id == number)
        found = await self._read(query.order_by(ticket_events.c.at, ticket_events.c.id))
        return [rows.event_from(row) for row in found]

    async def messages(self, number: int) -> list[ConversationMessage]:
        """The messages attached to a ticket, oldest first."""
        query = select(messages).where(messages.c.ticket_id == number).order_by(messages.c.at, messages.c.id)
        return [rows.message_from(row) for row in await self._read(query)]

    async def overdue(self, now: datetime) -> list[Ticket]:
        """Active tickets with a first-response deadline passed unanswered or a resolution deadline passed."""
        late = or_(
            (tickets.c.first_response_due < now) & tickets.c.first_response_at.is_(None),
            (tickets.c.resolution_due < now) & tickets.c.resolved_at.is_(None),
            tickets.c.next_response_due < now,
        )
        query = select(tickets).where(_ACTIVE, late).order_by(*_MOST_URGENT_FIRST)
        return [rows.ticket_from(row) for row in await self._read(query)]

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

    async def claim_delivery(self, platform: str, delivery_id: str, at: datetime) -> bool:
        """Record that this platform delivery is being handled; False if it was already claimed (a retry or duplicate).

        The primary key decides, so two processes cannot both claim it; raises ``ValueError`` for an id
        the column cannot hold whole.
        """
        values = rows.delivery_values(platform, delivery_id, at)
        try:
            async with self._write() as conn:
                await conn.execute(insert(deliveries).values(values))
        except IntegrityError:
            # The failed transaction is already rolled back (PostgreSQL refuses any statement after
            # the error), so whether the id is taken is asked in a fresh one.
            same = deliveries.c.platform == platform, deliveries.c.delivery_id == delivery_id
            if await self._exists(select(deliveries.c.delivery_id).where(*same)):
                return False
            raise
        return True

    async def forget_deliveries(self, before: datetime) -> int:
        """Delete delivery records older than ``before`` (platforms stop retrying after hours); returns how many."""
        async with self._write() as conn:
            forgotten = await conn.execute(delete(deliveries).where(deliveries.c.received_at < before))
        return forgotten.rowcount

    async def record_deflection(self, address: Address, question: str, url: str, at: datetime) -> None:
        """Count a question the knowledge base answered to the customer's satisfaction."""
        values = {**rows.address_values(address), "question": question, "url": url, "at": at}
        async with self._write() as conn:
            await conn.execute(insert(deflections).values(values))

    async def open_counts(self) -> dict[tuple[str, Priority], int]:
        """Active tickets by ``(tier, priority)``."""
        query = (
            select(tickets.c.tier, tickets.c.priority, func.count().label("count"))
            .where(_ACTIVE)
            .group_by(tickets.c.tier, tickets.c.priority)
        )
        return {(row["tier"], Priority(row["priority"])): row["count"] for row in await self._read(query)}

    async def first_responses(self) -> list[FirstResponse]:
        """Every ticket's opening time, first-response deadline and first response, for statistics."""
        columns = tickets.c.tier, tickets.c.created_at, tickets.c.first_response_due, tickets.c.first_response_at
        found = await self._read(select(*columns).order_by(tickets.c.id))
        return [
            FirstResponse(row["tier"], row["created_at"], row["first_response_due"], row["first_response_at"])
            for row in found
        ]

    async def deflection_count(self) -> int:
        """How many questions were resolved by self-service."""
        found = await self._read(select(func.count().label("count")).select_from(deflections))
        return int(found[0]["count"])


def _same_escalation(escalation: Escalation) -> tuple[ColumnElement[bool], ...]:
    return (
        escalations.c.ticket_id == escalation.ticket,
        escalations.c.deadline == escalation.deadline.value,
        escalations.c.level == escalation.level,
    )


def _same_message(message: ConversationMessage) -> Executable:
    platform, external_id = messages.c.platform, messages.c.external_id
    return select(messages.c.id).where(platform == message.address.platform, external_id == message.external_id)


def _check_belongs(number: int, event: TicketEvent, message: ConversationMessage | None) -> None:
    # A mismatch is a caller bug; storing the event under another ticket would corrupt its log.
    if event.ticket != number:
        raise ValueError(f"event for ticket #{event.ticket} passed to update of #{number}")
    if message is not None and message.ticket not in (None, number):
        raise ValueError(f"message of ticket #{message.ticket} passed to update of #{number}")


def sql_stores(engine: AsyncEngine, planner: SlaPlanner | None = None) -> Stores:
    """Every store port on one database (planning tickets with ``planner`` from the start, if given)."""
    store = SqlTicketStore(engine, planner)
    return Stores(store, store, store, store, store, store, store, SqlJobQueue(engine))
