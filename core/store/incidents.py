"""Incidents in SQL: a ticket linked once by the primary key, a resolution by a conditional UPDATE, and each
notice queued once per incident, ticket and key, in the transaction that records it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from core.incidents.records import Incident, IncidentNotFoundError, IncidentStatus, IncidentUpdate, Severity
from core.store.base import SqlPort
from core.store.outbox_json import outbound_values
from core.store.schema import outbox
from core.store.schema_incidents import (
    incident_deliveries,
    incident_proposals,
    incident_tickets,
    incident_updates,
    incidents,
)

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from datetime import datetime

    from sqlalchemy import RowMapping, Select
    from sqlalchemy.ext.asyncio import AsyncConnection

    from core.messages import Outbound

_OPEN = IncidentStatus.OPEN.value


class SqlIncidents(SqlPort):
    """The ``Incidents`` port in a SQL database."""

    async def open(self, title: str, severity: Severity, by: str, at: datetime) -> Incident:
        """A new open incident."""
        values = {"title": title, "severity": severity.value, "status": _OPEN, "opened_by": by, "opened_at": at}
        async with self._write() as conn:
            number = (await conn.execute(insert(incidents).values(values).returning(incidents.c.id))).scalar_one()
        return Incident(int(number), title, severity, IncidentStatus.OPEN, by, at)

    async def get(self, number: int) -> Incident | None:
        """Incident ``number`` with its updates and tickets."""
        found = await self._whole(select(incidents).where(incidents.c.id == number))
        return found[0] if found else None

    async def incidents(self, *, open_only: bool = False) -> list[Incident]:
        """Every incident (the open ones when asked), by number."""
        query = select(incidents).order_by(incidents.c.id)
        return await self._whole(query.where(incidents.c.status == _OPEN) if open_only else query)

    async def of_ticket(self, ticket: int) -> list[Incident]:
        """The open incidents ``ticket`` is linked to."""
        linked = select(incident_tickets.c.incident_id).where(incident_tickets.c.ticket_id == ticket)
        query = select(incidents).where(incidents.c.id.in_(linked), incidents.c.status == _OPEN)
        return await self._whole(query.order_by(incidents.c.id))

    async def link(self, number: int, tickets: Sequence[int], by: str, at: datetime) -> list[int]:
        """Link the tickets not linked yet; the ones linked now."""
        for attempt in range(2):  # a racing link of the same ticket fails the key: read again, once
            try:
                async with self._write() as conn:
                    await self._require(conn, number)
                    for ticket in tickets:
                        await self._require_ticket(conn, ticket)
                    had = await self._linked(conn, number)
                    new = list(dict.fromkeys(t for t in tickets if t not in had))
                    for ticket in new:
                        row = {"incident_id": number, "ticket_id": ticket, "linked_by": by, "linked_at": at}
                        await conn.execute(insert(incident_tickets).values(row))
                return new
            except IntegrityError:
                if attempt:
                    raise
        return []

    async def post(self, number: int, text: str, author: str, at: datetime) -> IncidentUpdate | None:
        """Add an update to an open incident; None if it is resolved."""
        async with self._write() as conn:
            status = await self._require(conn, number)
            if status != _OPEN:
                return None
            return await self._add_update(conn, number, text, author, at, resolution=False)

    async def resolve(self, number: int, text: str, author: str, at: datetime) -> IncidentUpdate | None:
        """Resolve the incident if it is open, with its last update."""
        async with self._write() as conn:
            await self._require(conn, number)
            moved = await conn.execute(
                update(incidents)
                .where(incidents.c.id == number, incidents.c.status == _OPEN)
                .values(status=IncidentStatus.RESOLVED.value, resolved_at=at)
            )
            if moved.rowcount != 1:  # resolved already, maybe by another moderator a moment ago
                return None
            return await self._add_update(conn, number, text, author, at, resolution=True)

    async def set_severity(self, number: int, severity: Severity) -> bool:
        """Change the severity."""
        async with self._write() as conn:
            changed = await conn.execute(
                update(incidents).where(incidents.c.id == number).values(severity=severity.value)
            )
        return bool(changed.rowcount == 1)

    async def deliver(self, number: int, key: str, notices: Mapping[int, Outbound], at: datetime) -> list[int]:
        """Queue each ticket's notice unless it had one under ``key``; the tickets queued now."""
        for attempt in range(2):  # another worker delivering the same key fails the key: read again, once
            try:
                async with self._write() as conn:
                    done = select(incident_deliveries.c.ticket_id).where(
                        incident_deliveries.c.incident_id == number, incident_deliveries.c.key == key
                    )
                    had = set((await conn.execute(done)).scalars())
                    queued = [ticket for ticket in notices if ticket not in had]
                    for ticket in queued:
                        row = {"incident_id": number, "ticket_id": ticket, "key": key, "queued_at": at}
                        await conn.execute(insert(incident_deliveries).values(row))
                        notice = outbound_values(notices[ticket])
                        await conn.execute(insert(outbox).values(**notice, ticket_id=ticket, created_at=at, attempts=0))
                return queued
            except IntegrityError:
                if attempt:
                    raise
        return []

    async def propose(self, key: str, notices: Sequence[Outbound], at: datetime) -> bool:
        """Queue ``notices`` once per ``key``."""
        try:
            async with self._write() as conn:
                await conn.execute(insert(incident_proposals).values(key=key, proposed_at=at))
                for notice in notices:
                    await conn.execute(insert(outbox).values(**outbound_values(notice), created_at=at, attempts=0))
        except IntegrityError:  # proposed before, or by another worker just now: its transaction holds
            return False
        return True

    async def _require(self, conn: AsyncConnection, number: int) -> str:
        found = (await conn.execute(select(incidents.c.status).where(incidents.c.id == number))).first()
        if found is None:
            raise IncidentNotFoundError(number)
        return str(found[0])

    async def _linked(self, conn: AsyncConnection, number: int) -> set[int]:
        query = select(incident_tickets.c.ticket_id).where(incident_tickets.c.incident_id == number)
        return set((await conn.execute(query)).scalars())

    async def _add_update(
        self, conn: AsyncConnection, number: int, text: str, author: str, at: datetime, *, resolution: bool
    ) -> IncidentUpdate:
        row = {"incident_id": number, "text": text, "author": author, "at": at, "resolution": resolution}
        made = (await conn.execute(insert(incident_updates).values(row).returning(incident_updates.c.id))).scalar_one()
        return IncidentUpdate(int(made), text, author, at, resolution)

    async def _whole(self, query: Select[Any]) -> list[Incident]:
        """The incidents ``query`` selects, each with its updates and tickets, in one read transaction."""
        async with self._engine.connect() as conn, conn.begin():
            found = list((await conn.execute(query)).mappings())
            numbers = [r["id"] for r in found]
            if not numbers:
                return []
            ups = select(incident_updates).where(incident_updates.c.incident_id.in_(numbers))
            updates = list((await conn.execute(ups.order_by(incident_updates.c.id))).mappings())
            links = select(incident_tickets).where(incident_tickets.c.incident_id.in_(numbers))
            linked = list((await conn.execute(links.order_by(incident_tickets.c.ticket_id))).mappings())
        return [_incident(r, updates, linked) for r in found]


def _incident(row: RowMapping, updates: Sequence[RowMapping], linked: Sequence[RowMapping]) -> Incident:
    number = row["id"]
    return Incident(
        number=number,
        title=row["title"],
        severity=Severity(row["severity"]),
        status=IncidentStatus(row["status"]),
        opened_by=row["opened_by"],
        opened_at=row["opened_at"],
        resolved_at=row["resolved_at"],
        updates=tuple(
            IncidentUpdate(u["id"], u["text"], u["author"], u["at"], bool(u["resolution"]))
            for u in updates
            if u["incident_id"] == number
        ),
        tickets=tuple(t["ticket_id"] for t in linked if t["incident_id"] == number),
    )
