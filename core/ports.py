"""The small interfaces through which the core talks to the outside world."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from collections.abc import Collection
    from datetime import timedelta

    from core.intents import Priority
    from core.messages import Address, Outbound
    from core.sla_plan import ActionKey
    from core.sla_service import SlaPlan
    from core.store.sla_rows import DueWork, OutboxItem, TimerRecord
    from core.tickets import (
        ConversationMessage,
        Escalation,
        FirstResponse,
        NewTicket,
        Ticket,
        TicketChange,
        TicketEvent,
    )

Vectors = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Chunk:
    """A piece of a knowledge-base article, small enough to embed and cite."""

    chunk_id: str
    doc_id: str
    title: str
    section: str
    text: str
    source: str
    url: str | None = None

    @property
    def heading(self) -> str:
        """``Title › Section``, or just the title when the section adds nothing."""
        return f"{self.title} › {self.section}" if self.section and self.section != self.title else self.title

    @property
    def link(self) -> str:
        """Where the passage can be read: its URL, else its source."""
        return self.url or self.source

    def embedding_text(self) -> str:
        """The text the embedder sees: title and section give the passage its context."""
        heading = self.title if not self.section or self.section == self.title else f"{self.title} — {self.section}"
        return f"{heading}\n{self.text}" if heading else self.text


@dataclass(frozen=True)
class SearchHit:
    """One knowledge-base result with its cosine similarity to the query."""

    chunk: Chunk
    score: float


class Embedder(Protocol):
    """Turns texts into L2-normalised vectors, so inner product is cosine similarity."""

    @property
    def name(self) -> str:
        """A stable identity of the model; vectors from different names never mix."""
        ...

    @property
    def dimension(self) -> int:
        """Length of every vector this embedder returns."""
        ...

    def embed(self, texts: Sequence[str], *, progress: bool = False) -> Vectors:
        """Return an ``(len(texts), dimension)`` float32 array of unit vectors."""
        ...


class KnowledgeIndex(Protocol):
    """Finds the knowledge-base chunks nearest to a query vector."""

    def search(self, vector: Vectors, k: int, query_text: str | None = None) -> list[SearchHit]:
        """Return up to ``k`` hits, best first; ``query_text`` lets the index match exact terms too."""
        ...

    def __len__(self) -> int:
        """Number of chunks that can be found."""
        ...


class Clock(Protocol):
    """The time, injectable so tests and the console can move it."""

    def now(self) -> datetime:
        """The current time, timezone-aware (UTC)."""
        ...


class Notifier(Protocol):
    """Delivers messages the core starts itself; each platform adapter implements it."""

    async def send(self, outbound: Outbound) -> None:
        """Deliver one message; raise if it could not be delivered, so the caller can retry."""
        ...


class SlaPlanner(Protocol):
    """Derives a ticket's deadlines and due SLA work from its audit log (``core.sla_service.TierPlanner``)."""

    @property
    def fingerprint(self) -> str:
        """Identifies the SLA configuration; a change means every active ticket must be planned again."""
        ...

    def plan(
        self, ticket: Ticket, events: Sequence[TicketEvent], fired: Collection[ActionKey], now: datetime
    ) -> SlaPlan:
        """The ticket's deadlines and due work, given everything that already fired."""
        ...


class TicketStore(Protocol):
    """Tickets, their audit log, conversations, escalations and claimed platform deliveries.

    Every method is one transaction: a method that writes several rows writes all or none.
    Times are timezone-aware UTC.
    """

    async def record_message(self, message: ConversationMessage) -> bool:
        """Keep a message; False (and nothing stored) if its platform id was already seen."""
        ...

    async def conversation(self, address: Address, *, limit: int = 50) -> list[ConversationMessage]:
        """The thread's messages not yet attached to any ticket, oldest first (the latest ``limit``)."""
        ...

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

    async def messages(self, number: int) -> list[ConversationMessage]:
        """The messages attached to a ticket, oldest first."""
        ...

    async def overdue(self, now: datetime) -> list[Ticket]:
        """Active tickets with a first-response deadline passed unanswered or a resolution deadline passed."""
        ...

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

    async def claim_delivery(self, platform: str, delivery_id: str, at: datetime) -> bool:
        """Record that this platform delivery is being handled; False if it was already claimed (a retry or duplicate).

        Uniqueness is enforced by the database, so it holds across restarts and processes. Raises
        ``ValueError`` for an empty id or one longer than the store keeps, rather than cutting it
        (two long ids sharing a prefix would then count as one delivery).
        """
        ...

    async def forget_deliveries(self, before: datetime) -> int:
        """Delete delivery records older than ``before`` (platforms stop retrying after hours); returns how many."""
        ...

    async def record_deflection(self, address: Address, question: str, url: str, at: datetime) -> None:
        """Count a question the knowledge base answered to the customer's satisfaction."""
        ...

    async def open_counts(self) -> dict[tuple[str, Priority], int]:
        """Active tickets by ``(tier, priority)``."""
        ...

    async def first_responses(self) -> list[FirstResponse]:
        """Every ticket's opening time, first-response deadline and first response, for statistics."""
        ...

    async def deflection_count(self) -> int:
        """How many questions were resolved by self-service."""
        ...

    # SLA timers and the outbox. With a planner, every method that logs an event also plans the ticket
    # again in the same transaction, so the timers always match the events.

    def use_planner(self, planner: SlaPlanner) -> None:
        """Plan tickets with ``planner`` from now on."""
        ...

    async def replan(self, numbers: Sequence[int] | None, now: datetime, fingerprint: str | None = None) -> int:
        """Plan these tickets again (every active one when None) and remember ``fingerprint``; returns how many."""
        ...

    async def sla_fingerprint(self) -> str | None:
        """The planner fingerprint the active tickets were last planned with."""
        ...

    async def claim_due(self, now: datetime, limit: int, owner: str, lease: timedelta) -> list[DueWork]:
        """Lease up to ``limit`` unfired actions due at ``now``, earliest first, to ``owner`` for ``lease``.

        Actions leased to another owner are skipped until their lease expires; on PostgreSQL rows locked
        by a concurrent claim are skipped (``FOR UPDATE SKIP LOCKED``), so several workers share the work.
        """
        ...

    async def complete_due(
        self,
        work: DueWork,
        owner: str,
        now: datetime,
        notices: Sequence[Outbound] = (),
        event: TicketEvent | None = None,
        change: TicketChange | None = None,
    ) -> bool:
        """Mark ``work`` fired and queue ``notices`` in the outbox (with ``event`` and ``change``), together.

        False, and nothing written, if the action is no longer planned, not due, fired, or leased to another owner.
        """
        ...

    async def timers(self, number: int) -> list[TimerRecord]:
        """A ticket's planned and fired SLA actions, by due time."""
        ...

    async def claim_outbox(self, now: datetime, limit: int, owner: str, lease: timedelta) -> list[OutboxItem]:
        """Lease up to ``limit`` unsent notifications (oldest first) whose lease or retry time has passed."""
        ...

    async def outbox_sent(self, item: int, now: datetime) -> None:
        """Mark a notification delivered."""
        ...

    async def outbox_failed(self, item: int, now: datetime, reason: str, retry_at: datetime) -> None:
        """Record a failed delivery (and an event on its ticket); it is tried again from ``retry_at``."""
        ...

    async def outbox(self, number: int | None = None) -> list[OutboxItem]:
        """Every notification queued for a ticket (all when None), oldest first, sent or not."""
        ...
