"""What the support lead's numbers are computed from: a period's tickets with their logs, and the bot's answers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.messages import Address
from core.tickets.records import Escalation, Priority, Ticket, TicketEvent, TicketStatus


@dataclass(frozen=True)
class ReportQuery:
    """A period ``[start, end)`` and the filters a report is narrowed by; ``None`` means any."""

    start: datetime
    end: datetime
    tier: str | None = None
    priority: Priority | None = None
    platform: str | None = None
    intents: frozenset[str] | None = None  # an intent, or every intent of a category
    agent: str | None = None  # the ticket's assignee
    customer: str | None = None


@dataclass(frozen=True)
class TicketHistory:
    """One ticket as it is now, with its whole audit log and escalations, oldest first."""

    ticket: Ticket
    events: tuple[TicketEvent, ...]
    escalations: tuple[Escalation, ...] = ()


@dataclass(frozen=True)
class TicketLog:
    """A ticket as a report folds it: the few fields it reads, its log oldest first, when it reached a chain level.

    The light form of a ``TicketHistory`` (``core.analytics.cohort.log_of``), which a read model may hand out
    directly to spare building whole tickets.
    """

    number: int
    tier: str
    priority: Priority
    platform: str
    intent: str | None
    customer: str
    assignee: str | None
    status: TicketStatus
    created_at: datetime
    events: tuple[TicketEvent, ...]
    escalated_at: tuple[datetime, ...] = ()  # each escalation at level 1 or more, manual or fired


@dataclass(frozen=True)
class AnswerRecord:
    """One answer the bot gave from the knowledge base, counted once however often it was voted on."""

    address: Address
    at: datetime
    key: str  # core.desk.feedback.answer_key: the answer's name within its thread
    url: str
    intent: str | None
    helpful: bool  # the customer's standing vote says it helped
    next_ticket_at: datetime | None  # when the first ticket opened in the same thread at or after the answer
