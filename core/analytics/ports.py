"""The read model behind the support lead's numbers."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from core.messages import Address
    from core.tickets.records import FirstResponse, Priority


class Statistics(Protocol):
    """Counts and timings for ``stats``, and the self-service resolutions it counts."""

    async def record_deflection(
        self, address: Address, question: str, url: str, at: datetime, *, answer: str | None = None
    ) -> None:
        """Count a question the knowledge base answered to the customer's satisfaction, once per ``answer``.

        ``answer`` names the answer voted on within its thread; a second vote for it changes nothing.
        """
        ...

    async def withdraw_deflection(self, address: Address, answer: str) -> None:
        """The customer's latest vote says ``answer`` did not help: it no longer counts (if it did)."""
        ...

    async def open_counts(self) -> dict[tuple[str, Priority], int]:
        """Active tickets by ``(tier, priority)``."""
        ...

    async def first_responses(self) -> list[FirstResponse]:
        """Every ticket's opening time, first-response deadline and first response, for statistics."""
        ...

    async def deflection_count(self) -> int:
        """How many questions were resolved by self-service."""
        ...
