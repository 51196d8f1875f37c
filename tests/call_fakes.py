"""The in-memory ``Calls``: booked calls in a dictionary; notices go into the outbox the drain reads."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from core.calls.records import BookedCall, NewCall
from core.messages import Outbound
from tests.store_state import MemoryState


class InMemoryCalls:
    """Calls by number; a booking that overlaps one kept is refused, as the SQL store refuses it."""

    def __init__(self, state: MemoryState | None = None) -> None:
        self._state = state if state is not None else MemoryState()
        self.calls: dict[int, BookedCall] = {}

    async def book(self, call: NewCall, notices: Sequence[Outbound]) -> BookedCall | None:
        """Keep the call and queue its notices, unless one overlaps it."""
        if any(c.start < call.end and c.end > call.start for c in self.calls.values()):
            return None
        booked = BookedCall(**vars(call), call_id=len(self.calls) + 1)
        self.calls[booked.call_id] = booked
        for notice in notices:
            self._state.enqueue(call.ticket, None, notice)
        return booked

    async def overlapping(self, start: datetime, end: datetime) -> list[BookedCall]:
        """The calls overlapping ``start``–``end``."""
        return sorted((c for c in self.calls.values() if c.start < end and c.end > start), key=lambda c: c.start)

    async def of_holder(self, holder: str, since: datetime) -> list[BookedCall]:
        """The holder's calls from ``since``."""
        return sorted((c for c in self.calls.values() if c.holder == holder and c.start >= since), key=_start)

    async def due_reminders(self, until: datetime, after: datetime) -> list[BookedCall]:
        """Unreminded calls starting in (``after``, ``until``]."""
        due = (c for c in self.calls.values() if c.reminded_at is None and after < c.start <= until)
        return sorted(due, key=_start)

    async def remind(self, call_id: int, notices: Sequence[Outbound], at: datetime) -> bool:
        """Mark the call reminded once, and queue the reminders."""
        call = self.calls.get(call_id)
        if call is None or call.reminded_at is not None:
            return False
        self.calls[call_id] = replace(call, reminded_at=at)
        for notice in notices:
            self._state.enqueue(call.ticket, None, notice)
        return True

    async def of_person(self, person: str) -> list[BookedCall]:
        """The person's calls."""
        return sorted((c for c in self.calls.values() if c.person == person), key=_start)

    async def forget(self, person: str) -> int:
        """Delete the person's calls."""
        gone = [n for n, c in self.calls.items() if c.person == person]
        for number in gone:
            del self.calls[number]
        return len(gone)


def _start(call: BookedCall) -> datetime:
    return call.start
