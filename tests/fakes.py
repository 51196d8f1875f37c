"""In-memory stand-ins for the core's ports, for tests that must not load a model."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import fields, replace
from datetime import UTC, datetime
from typing import Any, TypeVar

import numpy as np

from core.jobs import JobQueue
from core.messages import Address
from core.ports import Vectors
from core.sla.ports import SlaPlanner
from core.store import rows
from core.store.sql_store import SqlTicketStore
from core.stores import Stores
from core.tickets.records import (
    ConversationMessage,
    Deadline,
    Escalation,
    FirstResponse,
    NewTicket,
    Priority,
    Ticket,
    TicketChange,
    TicketEvent,
    TicketNotFoundError,
    TicketStatus,
)
from tests.job_fakes import InMemoryJobQueue
from tests.sla_fakes import InMemorySlaStore

_WORD = re.compile(r"[a-z0-9]+")


class HashingEmbedder:
    """A deterministic bag-of-words embedder: texts sharing words get similar unit vectors.

    It counts what it embeds, so tests can check that unchanged text is not embedded again.
    """

    def __init__(self, dimension: int = 256, name: str = "fake/hashing") -> None:
        self._dimension = dimension
        self._name = name
        self.embedded_texts: list[str] = []

    @property
    def name(self) -> str:
        """A name that never matches a real model."""
        return self._name

    @property
    def dimension(self) -> int:
        """Vector length."""
        return self._dimension

    def _bucket(self, token: str) -> int:
        return int.from_bytes(hashlib.blake2b(token.encode(), digest_size=8).digest(), "little") % self._dimension

    def embed(self, texts: Sequence[str], *, progress: bool = False) -> Vectors:
        """One unit vector per text; an empty text gets a fixed unit vector."""
        self.embedded_texts.extend(texts)
        out = np.zeros((len(texts), self._dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for token in _WORD.findall(text.lower()):
                out[row, self._bucket(token)] += 1.0
            if not out[row].any():
                out[row, 0] = 1.0
        return np.asarray(out / np.linalg.norm(out, axis=1, keepdims=True), dtype=np.float32)


_Record = TypeVar("_Record", NewTicket, ConversationMessage, TicketEvent, Escalation)


def _in_utc(record: _Record) -> _Record:
    """The record with every datetime converted to UTC, as the SQL store reads them back."""
    changes: dict[str, Any] = {
        field.name: _utc(value)
        for field in fields(record)
        if isinstance(value := getattr(record, field.name), datetime)
    }
    return replace(record, **changes)


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"naive datetime {value.isoformat()} cannot be stored; give it a timezone")
    return value.astimezone(UTC)


class InMemoryTicketStore(InMemorySlaStore):
    """A ``TicketStore`` in dicts and lists, with the SQL store's semantics (checked by the same contract tests)."""

    def __init__(self, planner: SlaPlanner | None = None) -> None:
        self._sla_init(planner)
        self._tickets: dict[int, Ticket] = {}
        self._messages: list[ConversationMessage] = []
        self._seen: set[tuple[str, str]] = set()
        self._events: list[TicketEvent] = []
        self._escalations: dict[tuple[int, Deadline, int], Escalation] = {}
        self._deflections: list[tuple[Address, str, str, datetime]] = []
        self._deliveries: dict[tuple[str, str], datetime] = {}

    def _require(self, number: int) -> Ticket:
        if number not in self._tickets:
            raise TicketNotFoundError(number)
        return self._tickets[number]

    def _keep(self, message: ConversationMessage, ticket: int | None) -> bool:
        key = (message.address.platform, message.external_id)
        if message.external_id and key in self._seen:
            return False
        if message.external_id:
            self._seen.add(key)
        self._messages.append(replace(_in_utc(message), ticket=ticket))
        return True

    async def record_message(self, message: ConversationMessage) -> bool:
        """Keep a message; False (and nothing stored) if its platform id was already seen."""
        if message.ticket is not None:
            self._require(message.ticket)
        return self._keep(message, message.ticket)

    async def conversation(self, address: Address, *, limit: int = 50) -> list[ConversationMessage]:
        """The thread's messages not yet attached to any ticket, oldest first (the latest ``limit``)."""
        loose = [m for m in _by_time(self._messages) if m.address == address and m.ticket is None]
        return loose[-limit:] if limit > 0 else []

    async def open_ticket(self, draft: NewTicket, actor: str) -> Ticket:
        """Create a ticket, attach its thread's unattached messages and log an ``opened`` event."""
        draft = _in_utc(draft)
        number = max(self._tickets, default=0) + 1
        ticket = Ticket(
            number=number,
            status=TicketStatus.NEW,
            assignee=None,
            updated_at=draft.created_at,
            first_response_at=None,
            resolved_at=None,
            **vars(draft),
        )
        self._tickets[number] = ticket
        self._messages = [
            replace(m, ticket=number) if m.address == draft.address and m.ticket is None else m for m in self._messages
        ]
        self._events.append(TicketEvent(number, draft.created_at, actor, rows.OPENED, rows.opened_detail(draft)))
        self._replan(number, draft.created_at)
        return self._tickets[number]

    async def get(self, number: int) -> Ticket | None:
        """The ticket with this number, if any."""
        return self._tickets.get(number)

    async def active_ticket_for(self, address: Address) -> Ticket | None:
        """The newest ticket of this thread that is not resolved or closed."""
        found = [t for t in self._tickets.values() if t.address == address and t.status.active]
        return max(found, key=lambda t: t.number, default=None)

    async def latest_ticket_for(self, address: Address) -> Ticket | None:
        """The newest ticket of this thread, whatever its status."""
        return max((t for t in self._tickets.values() if t.address == address), key=lambda t: t.number, default=None)

    async def tickets_opened_by(self, platform: str, requester_id: str, since: datetime) -> list[Ticket]:
        """Tickets this requester opened on this platform at or after ``since``, oldest first."""
        since = _utc(since)
        mine = (
            t
            for t in self._tickets.values()
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
        event = _in_utc(event)
        message = _in_utc(message) if message is not None else None
        fields_: dict[str, Any] = {
            name: _utc(v) if isinstance(v, datetime) else v for name, v in rows.change_fields(change).items()
        }
        ticket = replace(self._require(number), **fields_, updated_at=event.at)
        self._tickets[number] = ticket
        self._events.append(event)
        if message is not None:
            self._keep(message, number)
        self._replan(number, event.at)
        return self._tickets[number]

    async def add_event(self, event: TicketEvent) -> None:
        """Log an event that changes no field (e.g. a failed notification)."""
        self._require(event.ticket)
        self._events.append(_in_utc(event))
        self._replan(event.ticket, event.at, event.kind)

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
            for t in self._tickets.values()
            if (t.status.active or not active_only) and (assignee is None or t.assignee == assignee)
        ]
        return _most_urgent_first(found)[: max(limit, 0)]

    async def events(self, number: int) -> list[TicketEvent]:
        """A ticket's audit log, oldest first."""
        return sorted((e for e in self._events if e.ticket == number), key=lambda e: e.at)

    async def messages(self, number: int) -> list[ConversationMessage]:
        """The messages attached to a ticket, oldest first."""
        return [m for m in _by_time(self._messages) if m.ticket == number]

    async def overdue(self, now: datetime) -> list[Ticket]:
        """Active tickets with a first-response deadline passed unanswered or a resolution deadline passed."""
        now = _utc(now)

        def late(t: Ticket) -> bool:
            unanswered = t.first_response_due is not None and t.first_response_due < now and t.first_response_at is None
            unresolved = t.resolution_due is not None and t.resolution_due < now and t.resolved_at is None
            unanswered_again = t.next_response_due is not None and t.next_response_due < now
            return t.status.active and (unanswered or unresolved or unanswered_again)

        return _most_urgent_first([t for t in self._tickets.values() if late(t)])

    async def claim_escalation(self, escalation: Escalation) -> bool:
        """Record an escalation and its event; False if this ticket, deadline and level was already escalated."""
        self._require(escalation.ticket)
        escalation = _in_utc(escalation)
        key = (escalation.ticket, escalation.deadline, escalation.level)
        if key in self._escalations:
            return False
        self._escalations[key] = escalation
        detail = rows.escalation_detail(escalation)
        self._events.append(TicketEvent(escalation.ticket, escalation.at, rows.SYSTEM_ACTOR, rows.ESCALATED, detail))
        return True

    async def release_escalation(self, escalation: Escalation, reason: str) -> None:
        """Forget a claimed escalation so it is tried again; the failure is logged at the escalation's time."""
        escalation = _in_utc(escalation)
        if self._escalations.pop((escalation.ticket, escalation.deadline, escalation.level), None) is None:
            return
        detail = f"{rows.escalation_detail(escalation)}: {reason}"
        failed = TicketEvent(escalation.ticket, escalation.at, rows.SYSTEM_ACTOR, rows.ESCALATION_FAILED, detail)
        self._events.append(failed)

    async def escalations(self, number: int) -> list[Escalation]:
        """A ticket's escalations, oldest first."""
        found = [e for e in self._escalations.values() if e.ticket == number] + self._fired_escalations(number)
        return sorted(found, key=lambda e: e.at)

    async def claim_delivery(self, platform: str, delivery_id: str, at: datetime) -> bool:
        """Record that this delivery is being handled; False if it was already claimed (a retry or duplicate)."""
        received = rows.delivery_values(platform, delivery_id, _utc(at))["received_at"]
        if (platform, delivery_id) in self._deliveries:
            return False
        self._deliveries[platform, delivery_id] = received
        return True

    async def forget_deliveries(self, before: datetime) -> int:
        """Delete delivery records older than ``before`` (platforms stop retrying after hours); returns how many."""
        before = _utc(before)
        old = [key for key, received in self._deliveries.items() if received < before]
        for key in old:
            del self._deliveries[key]
        return len(old)

    async def record_deflection(self, address: Address, question: str, url: str, at: datetime) -> None:
        """Count a question the knowledge base answered to the customer's satisfaction."""
        self._deflections.append((address, question, url, _utc(at)))

    async def open_counts(self) -> dict[tuple[str, Priority], int]:
        """Active tickets by ``(tier, priority)``."""
        return dict(Counter((t.tier, t.priority) for t in self._tickets.values() if t.status.active))

    async def first_responses(self) -> list[FirstResponse]:
        """Every ticket's opening time, first-response deadline and first response, for statistics."""
        return [
            FirstResponse(t.tier, t.created_at, t.first_response_due, t.first_response_at)
            for _, t in sorted(self._tickets.items())
        ]

    async def deflection_count(self) -> int:
        """How many questions were resolved by self-service."""
        return len(self._deflections)


def _by_time(messages: list[ConversationMessage]) -> list[ConversationMessage]:
    # sorted() is stable, so messages sent at the same instant keep the order they were kept in.
    return sorted(messages, key=lambda m: m.at)


def _most_urgent_first(tickets: list[Ticket]) -> list[Ticket]:
    return sorted(tickets, key=lambda t: (t.priority.rank, t.created_at, t.number))


def stores_of(store: InMemoryTicketStore | SqlTicketStore, jobs: JobQueue | None = None) -> Stores:
    """Every store port backed by one all-in-one store (the in-memory fake, or ``SqlTicketStore``)."""
    return Stores(store, store, store, store, store, store, store, jobs or InMemoryJobQueue())


# Either all-in-one store, for the contract tests that run on both (until each port has its own fake).
AnyStore = InMemoryTicketStore | SqlTicketStore
