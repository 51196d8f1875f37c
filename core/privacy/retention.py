"""Conversation text kept only as long as each tier's retention says; the metrics' rows stay.

The worker's pass deletes, per tier, the messages of that tier's finished tickets older than the tier's
period, blanks their subjects and the survey comments, and drops the tier's gap questions of that age;
text outside any ticket (self-service answers) follows ``privacy.retention_other``. A ticket still open
keeps its conversation whatever its age: someone is working on it. Deleting is idempotent, so several
workers may run the pass; each runs it at most once an ``every``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from core.retention import Periodic

if TYPE_CHECKING:
    from core.ports import Clock
    from core.privacy.originals import Originals
    from core.privacy.ports import PersonalData

log = logging.getLogger("helpline.privacy")

RETENTION_EVERY = timedelta(hours=1)


@dataclass(frozen=True)
class RetentionPolicy:
    """How long each tier's conversation text is kept (a tier not named: for ever), and text of no ticket."""

    by_tier: Mapping[str, timedelta] = field(default_factory=dict)
    other: timedelta | None = None

    @property
    def active(self) -> bool:
        """Whether anything expires at all."""
        return bool(self.by_tier) or self.other is not None


class RetentionPass(Periodic):
    """The worker's pass that expires old conversation text (at most once an ``every``)."""

    def __init__(
        self, data: PersonalData, clock: Clock, policy: RetentionPolicy, every: timedelta = RETENTION_EVERY
    ) -> None:
        super().__init__(clock, every)
        self._data = data
        self.policy = policy

    async def work(self, now: datetime) -> int:
        """Expire what is past its tier's period; how many rows were deleted or blanked."""
        total = 0
        periods: list[tuple[str | None, timedelta]] = list(self.policy.by_tier.items())
        if self.policy.other is not None:
            periods.append((None, self.policy.other))
        for tier, keep in periods:
            counts = await self._data.expire(tier, now - keep)
            if counts:
                done = ", ".join(f"{kind} {count}" for kind, count in sorted(counts.items()))
                log.info("retention (%s, %s): %s", tier or "no ticket", keep, done)
            total += sum(counts.values())
        return total


class OriginalsExpiry(Periodic):
    """Deletes sealed originals older than ``privacy.originals_for``, whether or not they are still kept."""

    def __init__(self, originals: Originals, clock: Clock, keep_for: timedelta, every: timedelta = RETENTION_EVERY):
        super().__init__(clock, every)
        self._originals = originals
        self.keep_for = keep_for

    async def work(self, now: datetime) -> int:
        """Delete what is past its time; how many."""
        done = await self._originals.expire(now - self.keep_for)
        if done:
            log.info("retention: %d sealed originals older than %s deleted", done, self.keep_for)
        return done
