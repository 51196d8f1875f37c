"""Critical incidents re-send their latest status to their customers every ``reminder_interval`` until resolved.

The pass runs on the escalation worker. Reminders count intervals from the latest update (a new update starts the
count again) and are keyed ``reminder:UPDATE:N``, so of several workers on one pass only one queues each.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.incidents.broadcast import Broadcast
from core.incidents.records import Severity
from core.retention import Periodic

if TYPE_CHECKING:
    from datetime import datetime, timedelta

    from core.incidents.policy import IncidentPolicy
    from core.ports import Clock
    from core.stores import Stores
    from core.tiers import TierDirectory


class IncidentReminders(Periodic):
    """Queues the due reminders of every open critical incident, looking at most once an ``every``."""

    def __init__(
        self, stores: Stores, tiers: TierDirectory, clock: Clock, policy: IncidentPolicy, every: timedelta
    ) -> None:
        super().__init__(clock, every)
        self._stores = stores
        self._interval = policy.reminder_interval
        self._broadcast = Broadcast(stores, tiers, policy)

    async def work(self, now: datetime) -> int:
        """Queue each due reminder once; how many notices were queued."""
        queued = 0
        for incident in await self._stores.incidents.incidents(open_only=True):
            if incident.severity is not Severity.CRITICAL or not incident.tickets:
                continue
            latest = incident.latest
            since = latest.at if latest is not None else incident.opened_at
            periods = (now - since) // self._interval
            if periods >= 1:
                key = f"reminder:{latest.id if latest is not None else 0}:{periods}"
                queued += await self._broadcast.remind(incident, key, now)
        return queued
