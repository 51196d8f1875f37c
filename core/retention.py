"""Forgetting what is only kept for a while: the records of platform deliveries already handled."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from core.ports import Clock, Deliveries

log = logging.getLogger("helpline.retention")

# GitHub lets a maintainer redeliver a webhook by hand for a few days, and Slack retries for minutes:
# a week covers both with room to spare.
DEFAULT_DELIVERY_RETENTION = timedelta(days=7)
PRUNE_EVERY = timedelta(hours=1)


class Periodic:
    """A worker pass that runs at most once an ``every``; a failed run is tried again on the next pass."""

    def __init__(self, clock: Clock, every: timedelta) -> None:
        self._clock = clock
        self._every = every
        self._last: datetime | None = None

    async def run_once(self) -> int:
        """Run ``work`` unless it ran less than ``every`` ago; what it returns (0 when skipped)."""
        now = self._clock.now()
        if self._last is not None and now - self._last < self._every:
            return 0
        done = await self.work(now)
        self._last = now  # only after success
        return done

    async def work(self, now: datetime) -> int:
        """The pass's work at ``now``; how many rows it touched."""
        raise NotImplementedError


class DeliveryPruner(Periodic):
    """Deletes delivery records older than ``keep``, at most once every ``every`` (run by the worker)."""

    def __init__(
        self,
        store: Deliveries,
        clock: Clock,
        keep: timedelta = DEFAULT_DELIVERY_RETENTION,
        every: timedelta = PRUNE_EVERY,
    ) -> None:
        if keep <= timedelta(0):
            raise ValueError("delivery retention must be positive")
        super().__init__(clock, every)
        self._store = store
        self.keep = keep

    async def work(self, now: datetime) -> int:
        """Forget deliveries received more than ``keep`` ago."""
        forgotten = await self._store.forget_deliveries(now - self.keep)
        if forgotten:
            log.info("forgot %d delivery record(s) older than %s", forgotten, self.keep)
        return forgotten
