"""Tickets, their audit events, the messages of their threads and their escalations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from core.errors import HelplineError
from core.messages import Address, Citation, FileRef
from core.tickets.priority import Priority as Priority  # re-exported: most code names it from here


class TicketStatus(StrEnum):
    """Where a ticket is in its life."""

    NEW = "new"
    OPEN = "open"
    WAITING = "waiting_on_customer"
    RESOLVED = "resolved"
    CLOSED = "closed"

    @property
    def active(self) -> bool:
        """True while someone still owes the customer something."""
        return self not in (TicketStatus.RESOLVED, TicketStatus.CLOSED)


class Deadline(StrEnum):
    """Which promise an escalation is about; ``manual`` is a moderator's ``escalate N``."""

    FIRST_RESPONSE = "first_response"
    NEXT_RESPONSE = "next_response"
    RESOLUTION = "resolution"
    MANUAL = "manual"


class Role(StrEnum):
    """Who wrote a message kept in a conversation."""

    CUSTOMER = "customer"
    AGENT = "agent"
    BOT = "bot"
    NOTE = "note"  # an internal note: never shown to the customer


class TicketNotFoundError(HelplineError):
    """A ticket number that does not exist."""

    def __init__(self, number: int) -> None:
        self.number = number
        super().__init__(f"there is no ticket #{number}")


@dataclass(frozen=True)
class NewTicket:
    """Everything needed to open a ticket; the store assigns the number."""

    customer: str
    tier: str
    address: Address
    requester_id: str
    requester_name: str
    subject: str
    intent: str | None
    priority: Priority
    created_at: datetime
    first_response_due: datetime | None
    resolution_due: datetime | None
    # The language the customer wrote in (ISO 639-1, empty when unknown) and whether they were frustrated.
    language: str = ""
    frustrated: bool = False


@dataclass(frozen=True)
class Ticket:
    """A customer's problem that a human owes an answer to."""

    number: int
    customer: str
    tier: str
    address: Address
    requester_id: str
    requester_name: str
    subject: str
    intent: str | None
    priority: Priority
    status: TicketStatus
    assignee: str | None
    created_at: datetime
    updated_at: datetime
    first_response_due: datetime | None
    resolution_due: datetime | None
    first_response_at: datetime | None
    resolved_at: datetime | None
    # Derived by the SLA planner from the ticket's events: when a customer follow-up is due an answer.
    next_response_due: datetime | None = None
    language: str = ""
    frustrated: bool = False


@dataclass(frozen=True)
class TicketChange:
    """Fields to change on a ticket; ``None`` leaves a field as it is.

    ``clear_resolved_at`` exists because ``None`` cannot both mean "unchanged" and "cleared".
    """

    status: TicketStatus | None = None
    assignee: str | None = None
    priority: Priority | None = None
    first_response_at: datetime | None = None
    resolved_at: datetime | None = None
    clear_resolved_at: bool = False
    first_response_due: datetime | None = None
    resolution_due: datetime | None = None
    tier: str | None = None
    frustrated: bool | None = None
    intent: str | None = None


@dataclass(frozen=True)
class TicketEvent:
    """One line of a ticket's audit log: who did what, when."""

    ticket: int
    at: datetime
    actor: str
    kind: str
    detail: str = ""


@dataclass(frozen=True)
class ConversationMessage:
    """A message kept with its thread, and with the thread's ticket once there is one.

    ``text`` is the cleaned text the core worked with; ``raw`` is exactly what arrived
    (UTF-8 encoded with surrogates kept), so nothing a customer sent is ever lost. ``files`` are the
    files that came with it, as references (``bounded_files``: at most 20, names cut).
    """

    address: Address
    author_id: str
    author_name: str
    role: Role
    text: str
    at: datetime
    raw: bytes = b""
    intent: str | None = None
    citation: Citation | None = None
    external_id: str = ""
    ticket: int | None = None
    files: tuple[FileRef, ...] = ()


@dataclass(frozen=True)
class Escalation:
    """A notice that a ticket missed (or was pushed past) a promise; unique per ticket, deadline and level."""

    ticket: int
    deadline: Deadline
    level: int
    target: str
    at: datetime


def raw_bytes(text: str | bytes) -> bytes:
    """The exact bytes of a message as received, for keeping alongside its cleaned text."""
    if isinstance(text, bytes):
        return text
    return text.encode("utf-8", "surrogatepass")
