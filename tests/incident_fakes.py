"""The in-memory ``Incidents``: incidents in a dictionary, each notice queued once per incident, ticket and key."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime

from core.incidents.records import Incident, IncidentNotFoundError, IncidentStatus, IncidentUpdate, Severity
from core.messages import Outbound
from tests.store_state import MemoryState


class InMemoryIncidents:
    """Incidents by number; notices go into ``state``'s outbox, the one the drain reads."""

    def __init__(self, state: MemoryState | None = None) -> None:
        self._state = state if state is not None else MemoryState()
        self.by_number: dict[int, Incident] = {}
        self.delivered: set[tuple[int, int, str]] = set()
        self.proposed: set[str] = set()
        self._updates = 0

    async def open(self, title: str, severity: Severity, by: str, at: datetime) -> Incident:
        """A new open incident."""
        incident = Incident(len(self.by_number) + 1, title, severity, IncidentStatus.OPEN, by, at)
        self.by_number[incident.number] = incident
        return incident

    async def get(self, number: int) -> Incident | None:
        """Incident ``number``, if any."""
        return self.by_number.get(number)

    async def incidents(self, *, open_only: bool = False) -> list[Incident]:
        """Every incident (the open ones when asked), by number."""
        return [i for _, i in sorted(self.by_number.items()) if i.is_open or not open_only]

    async def of_ticket(self, ticket: int) -> list[Incident]:
        """The open incidents ``ticket`` is linked to."""
        return [i for i in await self.incidents(open_only=True) if ticket in i.tickets]

    async def link(self, number: int, tickets: Sequence[int], by: str, at: datetime) -> list[int]:
        """Link the tickets not linked yet."""
        incident = self._require(number)
        for ticket in tickets:
            self._state.require(ticket)
        new = list(dict.fromkeys(t for t in tickets if t not in incident.tickets))
        self.by_number[number] = replace(incident, tickets=tuple(sorted((*incident.tickets, *new))))
        return new

    async def post(self, number: int, text: str, author: str, at: datetime) -> IncidentUpdate | None:
        """Add an update to an open incident."""
        incident = self._require(number)
        if not incident.is_open:
            return None
        return self._add(incident, IncidentUpdate(self._next(), text, author, at))

    async def resolve(self, number: int, text: str, author: str, at: datetime) -> IncidentUpdate | None:
        """Resolve an open incident with its last update."""
        incident = self._require(number)
        if not incident.is_open:
            return None
        resolved = replace(incident, status=IncidentStatus.RESOLVED, resolved_at=at)
        return self._add(resolved, IncidentUpdate(self._next(), text, author, at, resolution=True))

    async def set_severity(self, number: int, severity: Severity) -> bool:
        """Change the severity."""
        if number not in self.by_number:
            return False
        self.by_number[number] = replace(self.by_number[number], severity=severity)
        return True

    async def deliver(self, number: int, key: str, notices: Mapping[int, Outbound], at: datetime) -> list[int]:
        """Queue each ticket's notice unless it had one under ``key``."""
        queued = [t for t in notices if (number, t, key) not in self.delivered]
        for ticket in queued:
            self.delivered.add((number, ticket, key))
            self._state.enqueue(ticket, None, notices[ticket])
        return queued

    async def propose(self, key: str, notices: Sequence[Outbound], at: datetime) -> bool:
        """Queue ``notices`` once per ``key``."""
        if key in self.proposed:
            return False
        self.proposed.add(key)
        for notice in notices:
            self._state.enqueue(None, None, notice)
        return True

    def _require(self, number: int) -> Incident:
        if number not in self.by_number:
            raise IncidentNotFoundError(number)
        return self.by_number[number]

    def _next(self) -> int:
        self._updates += 1
        return self._updates

    def _add(self, incident: Incident, update: IncidentUpdate) -> IncidentUpdate:
        self.by_number[incident.number] = replace(incident, updates=(*incident.updates, update))
        return update
