"""The port that keeps incidents, their updates, linked tickets and what was sent about them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from core.incidents.records import Incident, IncidentUpdate, Severity
    from core.messages import Outbound


class Incidents(Protocol):
    """Incidents and their deliveries; a delivery is kept once per incident, ticket and key by the database."""

    async def open(self, title: str, severity: Severity, by: str, at: datetime) -> Incident:
        """A new open incident, numbered from 1."""
        ...

    async def get(self, number: int) -> Incident | None:
        """Incident ``number`` with its updates and tickets, if there is one."""
        ...

    async def incidents(self, *, open_only: bool = False) -> list[Incident]:
        """Every incident (only the open ones when asked), by number."""
        ...

    async def of_ticket(self, ticket: int) -> list[Incident]:
        """The open incidents ``ticket`` is linked to, by number."""
        ...

    async def link(self, number: int, tickets: Sequence[int], by: str, at: datetime) -> list[int]:
        """Link ``tickets`` to the incident; the ones newly linked (already linked ones are left as they are).

        ``IncidentNotFoundError`` for no such incident, ``TicketNotFoundError`` (nothing linked) for a missing ticket.
        """
        ...

    async def post(self, number: int, text: str, author: str, at: datetime) -> IncidentUpdate | None:
        """Add an update to an open incident; None if it is resolved (``IncidentNotFoundError`` if missing)."""
        ...

    async def resolve(self, number: int, text: str, author: str, at: datetime) -> IncidentUpdate | None:
        """Resolve an open incident with a last update; None (nothing changed) if it was resolved already."""
        ...

    async def set_severity(self, number: int, severity: Severity) -> bool:
        """Change the incident's severity; False if there is no such incident."""
        ...

    async def deliver(self, number: int, key: str, notices: Mapping[int, Outbound], at: datetime) -> list[int]:
        """Queue each ticket's notice in the outbox unless that ticket had one under ``key`` for this incident;
        the tickets queued now. Several workers delivering the same key queue each notice once in all."""
        ...

    async def propose(self, key: str, notices: Sequence[Outbound], at: datetime) -> bool:
        """Queue ``notices`` once per ``key`` (an incident proposal); False if that key was proposed before."""
        ...
