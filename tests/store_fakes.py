"""In-memory fakes of the tickets, conversations, escalations, deliveries and statistics ports.

Each has the SQL implementation's semantics (the same contract tests check both) over a shared
``MemoryState``, the way the SQL ports share one database.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from core.messages import Address
from core.sla.plan import ActionKind
from core.store import rows
from core.tickets.records import (
    ConversationMessage,
    Deadline,
    Escalation,
    NewTicket,
    Ticket,
    TicketChange,
    TicketEvent,
    TicketStatus,
)
from tests.store_state import MemoryPort, in_utc, utc


class InMemoryTickets(MemoryPort):
    """The ``Tickets`` port in memory; every event it logs plans the ticket again, as in SQL."""

    async def open_ticket(self, draft: NewTicket, actor: str) -> Ticket:
        """Create a ticket, attach its thread's unattached messages and log an ``opened`` event."""
        state, draft = self.state, in_utc(draft)
        number = max(state.tickets, default=0) + 1
        state.tickets[number] = Ticket(
            number=number,
            status=TicketStatus.NEW,
            assignee=None,
            updated_at=draft.created_at,
            first_response_at=None,
            resolved_at=None,
            **vars(draft),
        )
        state.messages = [
            replace(m, ticket=number) if m.address == draft.address and m.ticket is None else m for m in state.messages
        ]
        state.events.append(TicketEvent(number, draft.created_at, actor, rows.OPENED, rows.opened_detail(draft)))
        state.replan(number, draft.created_at)
        return state.tickets[number]

    async def get(self, number: int) -> Ticket | None:
        """The ticket with this number, if any."""
        return self.state.tickets.get(number)

    async def active_ticket_for(self, address: Address) -> Ticket | None:
        """The newest ticket of this thread that is not resolved or closed."""
        found = [t for t in self.state.tickets.values() if t.address == address and t.status.active]
        return max(found, key=lambda t: t.number, default=None)

    async def latest_ticket_for(self, address: Address) -> Ticket | None:
        """The newest ticket of this thread, whatever its status."""
        mine = (t for t in self.state.tickets.values() if t.address == address)
        return max(mine, key=lambda t: t.number, default=None)

    async def tickets_opened_by(self, platform: str, requester_id: str, since: datetime) -> list[Ticket]:
        """Tickets this requester opened on this platform at or after ``since``, oldest first."""
        since = utc(since)
        mine = (
            t
            for t in self.state.tickets.values()
            if t.address.platform == platform and t.requester_id == requester_id and t.created_at >= since
        )
        return sorted(mine, key=lambda t: (t.created_at, t.number))

    async def update(
        self,
        number: int,
        change: TicketChange,
        event: TicketEvent,
        message: ConversationMessage | None = None,
    ) -> Ticket:
        """Apply ``change``, log ``event`` and keep ``message`` on the ticket, together."""
        if event.ticket != number or (message is not None and message.ticket not in (None, number)):
            raise ValueError(f"event or message of another ticket passed to update of #{number}")
        # Everything that can raise runs before the first mutation, so a failure changes nothing.
        event = in_utc(event)
        message = in_utc(message) if message is not None else None
        fields_: dict[str, Any] = {
            name: utc(v) if isinstance(v, datetime) else v for name, v in rows.change_fields(change).items()
        }
        state = self.state
        state.tickets[number] = replace(state.require(number), **fields_, updated_at=event.at)
        state.events.append(event)
        if message is not None:
            state.keep(message, number)
        state.replan(number, event.at)
        return state.tickets[number]

    async def add_event(self, event: TicketEvent) -> None:
        """Log an event that changes no field (e.g. a failed notification)."""
        self.state.require(event.ticket)
        self.state.events.append(in_utc(event))
        self.state.replan(event.ticket, event.at, event.kind)

    async def list_tickets(
        self,
        *,
        active_only: bool = True,
        assignee: str | None = None,
        limit: int = 50,
    ) -> list[Ticket]:
        """Tickets, most urgent first (priority, then oldest)."""
        found = [
            t
            for t in self.state.tickets.values()
            if (t.status.active or not active_only) and (assignee is None or t.assignee == assignee)
        ]
        return _most_urgent_first(found)[: max(limit, 0)]

    async def events(self, number: int) -> list[TicketEvent]:
        """A ticket's audit log, oldest first."""
        return self.state.events_of(number)

    async def overdue(self, now: datetime) -> list[Ticket]:
        """Active tickets with a first-response deadline passed unanswered or a resolution deadline passed."""
        now = utc(now)

        def late(t: Ticket) -> bool:
            unanswered = t.first_response_due is not None and t.first_response_due < now and t.first_response_at is None
            unresolved = t.resolution_due is not None and t.resolution_due < now and t.resolved_at is None
            unanswered_again = t.next_response_due is not None and t.next_response_due < now
            return t.status.active and (unanswered or unresolved or unanswered_again)

        return _most_urgent_first([t for t in self.state.tickets.values() if late(t)])


class InMemoryConversations(MemoryPort):
    """The ``Conversations`` port in memory."""

    async def record_message(self, message: ConversationMessage) -> bool:
        """Keep a message; False (and nothing stored) if its platform id was already seen."""
        if message.ticket is not None:
            self.state.require(message.ticket)
        return self.state.keep(message, message.ticket)

    async def conversation(self, address: Address, *, limit: int = 50) -> list[ConversationMessage]:
        """The thread's messages not yet attached to any ticket, oldest first (the latest ``limit``)."""
        loose = [m for m in _by_time(self.state.messages) if m.address == address and m.ticket is None]
        return loose[-limit:] if limit > 0 else []

    async def messages(self, number: int) -> list[ConversationMessage]:
        """The messages attached to a ticket, oldest first."""
        return [m for m in _by_time(self.state.messages) if m.ticket == number]

    async def attach_message(self, message: ConversationMessage, number: int) -> bool:
        """Attach a kept message that is on no ticket yet to ticket ``number``; False if it was not waiting."""
        self.state.require(number)
        wanted = in_utc(replace(message, ticket=None))
        found = False
        for n, kept in enumerate(self.state.messages):
            same = (kept.address.platform, kept.external_id) == (message.address.platform, message.external_id)
            if kept.ticket is None and (same if message.external_id else kept == wanted):
                self.state.messages[n], found = replace(kept, ticket=number), True
        return found


class InMemoryEscalations(MemoryPort):
    """The ``Escalations`` port in memory, with the SLA worker's fired levels from the timers and outbox."""

    async def claim_escalation(self, escalation: Escalation) -> bool:
        """Record an escalation and its event; False if this ticket, deadline and level was already escalated."""
        self.state.require(escalation.ticket)
        escalation = in_utc(escalation)
        key = (escalation.ticket, escalation.deadline, escalation.level)
        if key in self.state.escalations:
            return False
        self.state.escalations[key] = escalation
        detail = rows.escalation_detail(escalation)
        escalated = TicketEvent(escalation.ticket, escalation.at, rows.SYSTEM_ACTOR, rows.ESCALATED, detail)
        self.state.events.append(escalated)
        return True

    async def release_escalation(self, escalation: Escalation, reason: str) -> None:
        """Forget a claimed escalation so it is tried again; the failure is logged at the escalation's time."""
        escalation = in_utc(escalation)
        if self.state.escalations.pop((escalation.ticket, escalation.deadline, escalation.level), None) is None:
            return
        detail = f"{rows.escalation_detail(escalation)}: {reason}"
        failed = TicketEvent(escalation.ticket, escalation.at, rows.SYSTEM_ACTOR, rows.ESCALATION_FAILED, detail)
        self.state.events.append(failed)

    async def escalations(self, number: int) -> list[Escalation]:
        """A ticket's escalations, oldest first."""
        found = [e for e in self.state.escalations.values() if e.ticket == number] + self._fired(number)
        return sorted(found, key=lambda e: e.at)

    def _fired(self, number: int) -> list[Escalation]:
        found = []
        for timer in self.state.timers.values():
            action, clock, _instance, level = timer.key
            if timer.ticket != number or action is not ActionKind.ESCALATION or timer.fired_at is None:
                continue
            for queued in self.state.queued.values():
                if queued.timer == timer.id:
                    target = str(queued.outbound.address)
                    found.append(Escalation(number, Deadline(clock), level, target, timer.fired_at))
        return found


class InMemoryDeliveries(MemoryPort):
    """The ``Deliveries`` port in memory."""

    async def claim_delivery(self, platform: str, delivery_id: str, at: datetime) -> bool:
        """Record that this delivery is being handled; False if it was already claimed (a retry or duplicate)."""
        received = rows.delivery_values(platform, delivery_id, utc(at))["received_at"]
        if (platform, delivery_id) in self.state.deliveries:
            return False
        self.state.deliveries[platform, delivery_id] = received
        return True

    async def forget_deliveries(self, before: datetime) -> int:
        """Delete delivery records older than ``before`` (platforms stop retrying after hours); returns how many."""
        before = utc(before)
        old = [key for key, received in self.state.deliveries.items() if received < before]
        for key in old:
            del self.state.deliveries[key]
        return len(old)


class InMemoryStatistics(MemoryPort):
    """The ``Statistics`` port in memory."""

    async def record_deflection(
        self, address: Address, question: str, url: str, at: datetime, *, answer: str | None = None
    ) -> None:
        """Count a question the knowledge base answered to the customer's satisfaction, once per ``answer``."""
        if answer is not None and any(d[0] == address and d[4] == answer for d in self.state.deflections):
            return
        self.state.deflections.append((address, question, url, utc(at), answer))

    async def withdraw_deflection(self, address: Address, answer: str) -> None:
        """The customer's latest vote says ``answer`` did not help: it no longer counts (if it did)."""
        self.state.deflections = [d for d in self.state.deflections if (d[0], d[4]) != (address, answer)]


def _by_time(messages: list[ConversationMessage]) -> list[ConversationMessage]:
    # sorted() is stable, so messages sent at the same instant keep the order they were kept in.
    return sorted(messages, key=lambda m: m.at)


def _most_urgent_first(tickets: list[Ticket]) -> list[Ticket]:
    return sorted(tickets, key=lambda t: (t.priority.rank, t.created_at, t.number))
