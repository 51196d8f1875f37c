"""The ports of the tickets domain: tickets with their audit log, the conversations they come from, escalations.

Every method is one transaction: a method that writes several rows writes all or none. Times are
timezone-aware UTC. With an SLA planner in use (``SlaTimers.use_planner``), every method that logs an
event also plans the ticket again in the same transaction, so the timers always match the events.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from core.messages import Address
    from core.tickets.records import (
        ConversationMessage,
        Escalation,
        NewTicket,
        Ticket,
        TicketChange,
        TicketEvent,
    )


class Tickets(Protocol):
    """Tickets and their audit log."""

    async def open_ticket(self, draft: NewTicket, actor: str) -> Ticket:
        """Create a ticket, attach its thread's unattached messages and log an ``opened`` event."""
        ...

    async def get(self, number: int) -> Ticket | None:
        """The ticket with this number, if any."""
        ...

    async def active_ticket_for(self, address: Address) -> Ticket | None:
        """The newest ticket of this thread that is not resolved or closed."""
        ...

    async def latest_ticket_for(self, address: Address) -> Ticket | None:
        """The newest ticket of this thread, whatever its status."""
        ...

    async def tickets_opened_by(self, platform: str, requester_id: str, since: datetime) -> list[Ticket]:
        """Tickets this requester opened on this platform at or after ``since``, oldest first."""
        ...

    async def update(
        self,
        number: int,
        change: TicketChange,
        event: TicketEvent,
        message: ConversationMessage | None = None,
    ) -> Ticket:
        """Apply ``change``, log ``event`` and keep ``message`` on the ticket, together.

        Raises ``TicketNotFoundError`` for an unknown number.
        """
        ...

    async def add_event(self, event: TicketEvent) -> None:
        """Log an event that changes no field (e.g. a failed notification)."""
        ...

    async def list_tickets(
        self,
        *,
        active_only: bool = True,
        assignee: str | None = None,
        limit: int = 50,
    ) -> list[Ticket]:
        """Tickets, most urgent first (priority, then oldest)."""
        ...

    async def events(self, number: int) -> list[TicketEvent]:
        """A ticket's audit log, oldest first."""
        ...

    async def overdue(self, now: datetime) -> list[Ticket]:
        """Active tickets with a first-response deadline passed unanswered or a resolution deadline passed."""
        ...


class Conversations(Protocol):
    """The messages of a thread, kept before and after a ticket is opened from it."""

    async def record_message(self, message: ConversationMessage) -> bool:
        """Keep a message; False (and nothing stored) if its platform id was already seen."""
        ...

    async def conversation(self, address: Address, *, limit: int = 50) -> list[ConversationMessage]:
        """The thread's messages not yet attached to any ticket, oldest first (the latest ``limit``)."""
        ...

    async def messages(self, number: int) -> list[ConversationMessage]:
        """The messages attached to a ticket, oldest first."""
        ...

    async def attach_message(self, message: ConversationMessage, number: int) -> bool:
        """Attach a kept message that is on no ticket yet to ticket ``number``; False if it was not waiting.

        ``message`` is as ``conversation`` returned it: found by its platform id, or (without one) by its
        thread, author, time and text.
        """
        ...


class Escalations(Protocol):
    """Manual escalations, unique per ticket, deadline and level (SLA chains go through ``SlaTimers``)."""

    async def claim_escalation(self, escalation: Escalation) -> bool:
        """Record an escalation and its event; False if this ticket, deadline and level was already escalated.

        Uniqueness is enforced by the database, so it holds across restarts and processes.
        """
        ...

    async def release_escalation(self, escalation: Escalation, reason: str) -> None:
        """Forget a claimed escalation whose notice could not be delivered, so it is tried again."""
        ...

    async def escalations(self, number: int) -> list[Escalation]:
        """A ticket's escalations, oldest first."""
        ...
