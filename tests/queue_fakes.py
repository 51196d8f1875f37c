"""The dashboard's queue in memory, over the same ``MemoryState`` as the other store fakes."""

from __future__ import annotations

from datetime import datetime

from core.tickets.queue import QueuePage, QueueQuery, QueueRow, matches, next_deadline, queue_order
from tests.store_state import MemoryPort


class InMemoryTicketQueue(MemoryPort):
    """The ``TicketQueue`` port over the in-memory tickets."""

    async def page(self, query: QueueQuery, now: datetime) -> QueuePage:
        """The page of matching tickets, most pressing deadline first, and how many match in all."""
        found = [QueueRow(t, next_deadline(t)) for t in self.state.tickets.values()]
        ordered = queue_order([row for row in found if matches(query, row, now)])
        start = max(query.offset, 0)
        return QueuePage(tuple(ordered[start : start + max(query.limit, 0)]), len(ordered))
