"""The ports of the SLA engine: the planner the store calls, the timers of due work, and the outbox."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from core.messages import Outbound
    from core.sla.plan import ActionKey
    from core.sla.planner import SlaPlan
    from core.sla.records import DueWork, OutboxItem, TimerRecord
    from core.tickets.records import Ticket, TicketChange, TicketEvent


class SlaPlanner(Protocol):
    """Derives a ticket's deadlines and due SLA work from its audit log (``core.sla.planner.TierPlanner``)."""

    @property
    def fingerprint(self) -> str:
        """Identifies the SLA configuration; a change means every active ticket must be planned again."""
        ...

    def plan(
        self, ticket: Ticket, events: Sequence[TicketEvent], fired: Collection[ActionKey], now: datetime
    ) -> SlaPlan:
        """The ticket's deadlines and due work, given everything that already fired."""
        ...


class SlaTimers(Protocol):
    """Planned SLA actions per ticket, leased to workers when due and marked fired once."""

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


class Outbox(Protocol):
    """Notifications written with the firing that caused them, then sent (and retried) by a worker."""

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
