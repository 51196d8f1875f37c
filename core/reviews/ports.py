"""Where QA reviews are kept: one port, written in the transaction that queues the note to the agent."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from core.messages import Outbound
from core.reviews.records import Review


class Reviews(Protocol):
    """The QA reviews, at most one per ticket (enforced by the database)."""

    async def save(self, review: Review, notices: Sequence[Outbound]) -> bool:
        """Keep ``review`` and queue ``notices`` in one transaction; False (nothing kept) if the ticket has one."""
        ...

    async def of_ticket(self, ticket: int) -> Review | None:
        """The ticket's review, if it was reviewed."""
        ...

    async def reviewed(self, tickets: Sequence[int]) -> set[int]:
        """Which of ``tickets`` were reviewed."""
        ...

    async def since(self, start: datetime) -> list[Review]:
        """The reviews made at or after ``start``, oldest first."""
        ...
