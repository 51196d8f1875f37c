"""The SLA engine's stored records: claimed due work, planned timers and queued notifications."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.messages import Outbound
from core.sla.plan import ActionKey, ActionKind


@dataclass(frozen=True)
class DueWork:
    """A due SLA action claimed by a worker until ``lease_until``."""

    id: int
    ticket: int
    action: ActionKind
    clock: str
    instance: int
    level: int
    due: datetime
    lease_until: datetime

    @property
    def key(self) -> ActionKey:
        """What makes the action unique within its ticket."""
        return (self.action, self.clock, self.instance, self.level)


@dataclass(frozen=True)
class TimerRecord:
    """One planned or fired SLA action of a ticket."""

    action: ActionKind
    clock: str
    instance: int
    level: int
    due: datetime
    fired_at: datetime | None


@dataclass(frozen=True)
class OutboxItem:
    """A notification waiting in the outbox, claimed by a sender until ``lease_until``."""

    id: int
    ticket: int | None
    outbound: Outbound
    attempts: int
    sent_at: datetime | None = None
