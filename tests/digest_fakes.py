"""The ``DigestRuns`` port in memory, over the state the outbox fake reads."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from tests.store_state import MemoryPort, Queued

if TYPE_CHECKING:
    from datetime import datetime

    from core.messages import Outbound


class InMemoryDigestRuns(MemoryPort):
    """Claims kept in the shared state, so two workers on one state see each other's, as on one database."""

    async def claimed(self, period_key: str) -> bool:
        """Whether some worker already claimed the period."""
        return period_key in self.state.digest_runs

    async def claim(self, period_key: str, owner: str, now: datetime, notices: Sequence[Outbound] = ()) -> bool:
        """Claim the period and queue ``notices`` in the outbox, together; False if it was already claimed."""
        if period_key in self.state.digest_runs:
            return False
        self.state.digest_runs[period_key] = owner
        for notice in notices:
            number = max(self.state.queued, default=0) + 1
            self.state.queued[number] = Queued(number, None, None, notice)
            self.state.unsent.add(number)
        return True
