"""Incidents at the desk: ``incident open|link|update|resolve|severity`` for moderators and ``status`` for anyone.

Every notice an incident sends goes through the outbox, once per ticket (``core.incidents.broadcast``); the reply
says how many customers it reached.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.desk.context import actor_of
from core.incidents.broadcast import Broadcast
from core.incidents.commands import (
    IncidentCommand,
    LinkTickets,
    OpenIncident,
    PostUpdate,
    ResolveIncident,
    SetSeverity,
    ShowStatus,
)
from core.incidents.records import IncidentError, IncidentNotFoundError, Severity
from core.incidents.wording import named, status_text
from core.messages import Reply, ReplyKind
from core.tickets.records import TicketChange, TicketEvent, TicketStatus

if TYPE_CHECKING:
    from collections.abc import Sequence

    from core.desk.context import Desk
    from core.incidents.records import Incident
    from core.messages import Inbound


class IncidentDesk:
    """Runs the incident commands for every platform alike (who may run which is checked by the caller)."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self.broadcast = Broadcast(desk.stores, desk.tiers, desk.incidents)

    async def command(self, message: Inbound, command: IncidentCommand) -> Reply:
        """Run one incident command."""
        match command:
            case OpenIncident(title=title, severity=severity):
                return await self.open(message, title, Severity(severity))
            case LinkTickets(number=number, tickets=tickets):
                return await self.link(message, number, tickets)
            case PostUpdate(number=number, text=text):
                return await self.post(message, number, text)
            case ResolveIncident(number=number, text=text):
                return await self.resolve(message, number, text)
            case SetSeverity(number=number, severity=severity):
                return await self.severity(number, Severity(severity))
            case ShowStatus():
                return Reply(ReplyKind.INFO, status_text(await self.desk.stores.incidents.incidents(open_only=True)))

    async def open(self, message: Inbound, title: str, severity: Severity) -> Reply:
        """A new incident."""
        incident = await self.desk.stores.incidents.open(title, severity, actor_of(message), self.desk.clock.now())
        return _info(
            f"Opened {named(incident)} ({severity}). Link its tickets with: incident link {incident.number} N [N…]"
        )

    async def link(self, message: Inbound, number: int, tickets: Sequence[int]) -> Reply:
        """Link tickets; each newly linked one's customer gets the latest update at once."""
        incident = await self._incident(number)
        if not incident.is_open:
            raise IncidentError(f"Incident #{number} is resolved; open a new one for a new problem.")
        now = self.desk.clock.now()
        new = await self.desk.stores.incidents.link(number, tickets, actor_of(message), now)
        for ticket in new:
            event = TicketEvent(ticket, now, actor_of(message), "incident", f"linked to incident #{number}")
            await self.desk.stores.tickets.add_event(event)
        await self.broadcast.joined(await self._incident(number), new, now)
        had = [t for t in tickets if t not in new]
        parts = [
            f"Linked {_numbers(new)} to {named(incident)}." if new else f"Nothing new linked to {named(incident)}."
        ]
        if had:
            parts.append(f"Already linked: {_numbers(had)}.")
        return _info(" ".join(parts))

    async def post(self, message: Inbound, number: int, text: str) -> Reply:
        """Post an update to every linked ticket's customer."""
        now = self.desk.clock.now()
        update = await self.desk.stores.incidents.post(number, text, actor_of(message), now)
        if update is None:
            raise IncidentError(f"Incident #{number} is resolved; its customers were told already.")
        incident = await self._incident(number)
        sent = await self.broadcast.update(incident, update, now)
        return _info(f"Update posted to {named(incident)}; {_customers(sent)} told.")

    async def resolve(self, message: Inbound, number: int, text: str) -> Reply:
        """Resolve the incident; every linked ticket's customer is told, and tickets resolved when configured."""
        now = self.desk.clock.now()
        update = await self.desk.stores.incidents.resolve(number, text, actor_of(message), now)
        if update is None:
            await self._incident(number)  # no such incident, or resolved already
            return _info(f"Incident #{number} is already resolved.")
        incident = await self._incident(number)
        resolved = await self._resolve_tickets(message, incident) if self.desk.incidents.resolve_tickets else []
        sent = await self.broadcast.update(incident, update, now, resolved=resolved)
        done = f" Tickets resolved with it: {_numbers(resolved)}." if resolved else ""
        return _info(f"Resolved {named(incident)}; {_customers(sent)} told.{done}")

    async def severity(self, number: int, severity: Severity) -> Reply:
        """Change the severity."""
        if not await self.desk.stores.incidents.set_severity(number, severity):
            raise IncidentNotFoundError(number)
        return _info(f"Incident #{number} is now {severity}.")

    async def _resolve_tickets(self, message: Inbound, incident: Incident) -> list[int]:
        resolved = []
        now = self.desk.clock.now()
        for number in incident.tickets:
            ticket = await self.desk.stores.tickets.get(number)
            if ticket is None or not ticket.status.active:
                continue
            change = TicketChange(status=TicketStatus.RESOLVED, resolved_at=now)
            event = TicketEvent(number, now, actor_of(message), "resolved", f"with incident #{incident.number}")
            await self.desk.stores.tickets.update(number, change, event)
            resolved.append(number)
        return resolved

    async def _incident(self, number: int) -> Incident:
        found = await self.desk.stores.incidents.get(number)
        if found is None:
            raise IncidentNotFoundError(number)
        return found


def _numbers(tickets: Sequence[int]) -> str:
    return ", ".join(f"#{t}" for t in tickets)


def _customers(count: int) -> str:
    return "1 customer" if count == 1 else f"{count} customers"


def _info(text: str) -> Reply:
    return Reply(ReplyKind.INFO, text)
