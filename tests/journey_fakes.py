"""The in-memory ``JourneyProgress``: one journey per person, a step moved past once, its notice in the outbox."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from core.customers.journeys import JourneyState, Progress, StopReason
from core.messages import Outbound
from tests.store_state import MemoryState


class InMemoryJourneyProgress:
    """Journeys in a dictionary by person; notices go into ``state``'s outbox, the one the drain reads."""

    def __init__(self, state: MemoryState | None = None) -> None:
        self._state = state if state is not None else MemoryState()
        self.journeys: dict[str, Progress] = {}

    async def start(self, progress: Progress) -> bool:
        """Keep the journey unless the person has one."""
        if progress.person in self.journeys:
            return False
        self.journeys[progress.person] = progress
        return True

    async def get(self, person: str) -> Progress | None:
        """The person's journey, if any."""
        return self.journeys.get(person)

    async def active(self) -> list[Progress]:
        """Every active journey, oldest start first."""
        found = [p for p in self.journeys.values() if p.state is JourneyState.ACTIVE]
        return sorted(found, key=lambda p: (p.started_at, p.person))

    async def of_people(self, people: Sequence[str]) -> list[Progress]:
        """The journeys of these people, by person."""
        return sorted((self.journeys[p] for p in set(people) if p in self.journeys), key=lambda p: p.person)

    async def advance(self, person: str, step: int, notice: Outbound, at: datetime, *, last: bool) -> bool:
        """Move past ``step`` if it is still the next one of an active journey, and queue the notice."""
        current = self.journeys.get(person)
        if current is None or current.state is not JourneyState.ACTIVE or current.step != step:
            return False
        state = JourneyState.COMPLETED if last else JourneyState.ACTIVE
        self.journeys[person] = replace(current, step=step + 1, state=state, last_sent_at=at, updated_at=at)
        self._state.enqueue(None, None, notice)
        return True

    async def stop(self, person: str, reason: StopReason, at: datetime) -> bool:
        """Stop the person's active journey."""
        current = self.journeys.get(person)
        if current is None or current.state is not JourneyState.ACTIVE:
            return False
        self.journeys[person] = replace(current, state=JourneyState.STOPPED, stop_reason=reason, updated_at=at)
        return True
