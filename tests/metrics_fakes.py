"""The ``MetricsSource`` port over the in-memory store's state, counting what the SQL queries count."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from core.analytics.gauges import MetricsSnapshot, ResponseHistogram
from core.jobs import JobStatus
from core.tickets.records import TicketStatus
from tests.job_fakes import InMemoryJobQueue
from tests.store_state import MemoryState

DONE = {TicketStatus.RESOLVED, TicketStatus.CLOSED}


class InMemoryMetricsSource:
    """``/metrics``' database figures from a ``MemoryState`` and an in-memory job queue (no surveys yet)."""

    def __init__(self, state: MemoryState, jobs: InMemoryJobQueue, queues: tuple[str, ...] = ()) -> None:
        self._state, self._jobs, self._queues = state, jobs, queues

    async def snapshot(self, now: datetime) -> MetricsSnapshot:
        """Counts as of ``now``."""
        tickets = list(self._state.tickets.values())
        late: Counter[str] = Counter()
        for t in tickets:
            for name, due, done in (
                ("first_response", t.first_response_due, t.first_response_at),
                ("resolution", t.resolution_due, t.resolved_at),
            ):
                if due is not None and ((done is not None and done > due) or (done is None and due < now)):
                    late[name] += 1
        pending = {q: len(await self._jobs.jobs(q, JobStatus.PENDING)) for q in self._queues}
        return MetricsSnapshot(
            tickets_opened=dict(Counter((t.tier, t.priority.value) for t in tickets)),
            tickets_open=dict(Counter((t.tier, t.priority.value) for t in tickets if t.status not in DONE)),
            messages=dict(Counter(m.role.value for m in self._state.messages)),
            first_response=ResponseHistogram.of(
                [(t.first_response_at - t.created_at).total_seconds() for t in tickets if t.first_response_at]
            ),
            breaches={"first_response": late["first_response"], "resolution": late["resolution"]},
            escalations=dict(Counter(e.deadline.value for e in self._state.escalations.values() if e.level >= 1)),
            jobs_pending={q: n for q, n in pending.items() if n},
            outbox_unsent=sum(1 for q in self._state.queued.values() if q.sent_at is None),
        )
