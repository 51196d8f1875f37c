"""Retraining the intent head on a schedule, on the escalation worker's pass (``intents: retrain_every``).

Time is cut into periods of ``every`` since the Unix epoch. On a pass, a worker retrains only when the
newest correction is newer than the ones the serving head was trained with, and only after claiming the
period in the database (``DigestRuns.claim``, the digest's once-per-period claim, under its own key), so
several workers retrain once per period between them. A retrain whose new head is worse keeps the old
one; the next period tries again.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from core.understanding.classifier import examples_fingerprint
from core.understanding.heads import HeadError
from core.understanding.retrain import Retrained, corrections_through, retrain

if TYPE_CHECKING:
    from core.ports import Clock, Embedder
    from core.stores import Stores
    from core.understanding.heads import HeadFolder
    from core.understanding.intents import IntentCatalog

log = logging.getLogger("helpline.intents")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def retrain_period_key(now: datetime, every: timedelta) -> str:
    """The claim key of the period ``now`` falls in: ``intents:2026-12-01T00:00Z``."""
    start = EPOCH + every * ((now - EPOCH) // every)
    return f"intents:{start:%Y-%m-%dT%H:%MZ}"


class ScheduledRetrain:
    """Retrains the head at most once per period across every worker, when there are new corrections."""

    def __init__(
        self,
        stores: Stores,
        clock: Clock,
        every: timedelta,
        owner: str,
        *,
        embedder: Embedder,
        catalog: IntentCatalog,
        folder: HeadFolder,
        regularisation: float = 10.0,
    ) -> None:
        self._stores, self._clock, self._every, self.owner = stores, clock, every, owner
        self._embedder, self._catalog, self._folder = embedder, catalog, folder
        self._regularisation = regularisation

    async def run_once(self) -> Retrained | None:
        """Retrain if this period is unclaimed and there are new corrections; what it measured, or None."""
        now = self._clock.now()
        key = retrain_period_key(now, self._every)
        if await self._stores.digests.claimed(key) or not await self._new_corrections():
            return None
        if not await self._stores.digests.claim(key, self.owner, now):
            return None  # another worker took this period
        corrections = await self._stores.intent_examples.examples()
        result = await asyncio.to_thread(
            retrain, self._embedder, self._catalog, corrections, self._folder, regularisation=self._regularisation
        )
        log.info("scheduled intent retrain (%s):\n%s", key, "\n".join(result.lines()))
        return result

    async def _new_corrections(self) -> bool:
        latest = await self._stores.intent_examples.latest()
        if latest is None:
            return False
        try:
            saved = self._folder.load_current()
        except HeadError as exc:  # retraining writes a good head again
            log.warning("the serving intent head cannot be read (%s); retraining", exc)
            return True
        catalog = examples_fingerprint(self._embedder.name, self._catalog.training_pairs(), self._regularisation)
        if saved is not None and saved.meta.get("catalog") != catalog:
            return True  # the intents file changed: the retrained head is not served until it is trained again
        through = corrections_through(saved)
        return through is None or latest > through
