"""The in-memory ``Reviews``: one review per ticket in a dictionary; notes go into the outbox the drain reads."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from core.messages import Outbound
from core.reviews.records import Review
from tests.store_state import MemoryState


class InMemoryReviews:
    """Reviews by ticket; a second review of a ticket is refused, as the SQL store's unique index refuses it."""

    def __init__(self, state: MemoryState | None = None) -> None:
        self._state = state if state is not None else MemoryState()
        self.reviews: dict[int, Review] = {}

    async def save(self, review: Review, notices: Sequence[Outbound]) -> bool:
        """Keep the review and queue its notices, unless the ticket has one."""
        if review.ticket in self.reviews:
            return False
        self.reviews[review.ticket] = review
        for notice in notices:
            self._state.enqueue(review.ticket, None, notice)
        return True

    async def of_ticket(self, ticket: int) -> Review | None:
        """The ticket's review."""
        return self.reviews.get(ticket)

    async def reviewed(self, tickets: Sequence[int]) -> set[int]:
        """Which of ``tickets`` have a review."""
        return {t for t in tickets if t in self.reviews}

    async def since(self, start: datetime) -> list[Review]:
        """Reviews made at or after ``start``, oldest first."""
        return sorted((r for r in self.reviews.values() if r.at >= start), key=lambda r: (r.at, r.ticket))
