"""Where booked calls are kept: one port, written in the transaction that queues the call's notices."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from core.calls.records import BookedCall, NewCall
from core.messages import Outbound


class Calls(Protocol):
    """The booked video calls."""

    async def book(self, call: NewCall, notices: Sequence[Outbound]) -> BookedCall | None:
        """Keep ``call`` and queue ``notices`` in one transaction; None (nothing kept) when a booked call overlaps."""
        ...

    async def overlapping(self, start: datetime, end: datetime) -> list[BookedCall]:
        """The calls that overlap ``start``–``end``, earliest first."""
        ...

    async def of_holder(self, holder: str, since: datetime) -> list[BookedCall]:
        """The calls counted in ``holder``'s quota that start at or after ``since``, earliest first."""
        ...

    async def due_reminders(self, until: datetime, after: datetime) -> list[BookedCall]:
        """Calls not yet reminded that start after ``after`` and by ``until``, earliest first."""
        ...

    async def remind(self, call_id: int, notices: Sequence[Outbound], at: datetime) -> bool:
        """Mark the call reminded and queue ``notices``, only if it was not reminded yet (of two workers, one)."""
        ...

    async def of_person(self, person: str) -> list[BookedCall]:
        """Every call booked by ``person`` (their personal data), earliest first."""
        ...

    async def forget(self, person: str) -> int:
        """Delete every call ``person`` booked; how many went."""
        ...
