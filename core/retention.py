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


class DeliveryPruner:
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
        self._store = store
        self._clock = clock
        self.keep = keep
        self._every = every
        self._last: datetime | None = None

    async def run_once(self) -> int:
        """Forget deliveries received more than ``keep`` ago, unless that was done less than ``every`` ago."""
        now = self._clock.now()
        if self._last is not None and now - self._last < self._every:
            return 0
        forgotten = await self._store.forget_deliveries(now - self.keep)
        self._last = now  # only after success, so a failed prune is tried again on the next pass
        if forgotten:
            log.info("forgot %d delivery record(s) older than %s", forgotten, self.keep)
        return forgotten
