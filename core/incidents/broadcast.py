"""Incident notices to the customers of linked tickets, each queued once per ticket through the outbox.

Every notice has a key: ``update:ID`` for an update (a ticket linked late gets the latest one under the same
key, so it is never sent twice), ``joined`` for a ticket that joined before any update, ``account`` for the
CSM's notice and ``reminder:UPDATE:N`` for a critical incident's N-th reminder after an update. The store keeps
one per incident, ticket and key, however many workers or retries deliver it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.incidents.wording import account_text, joined_text, reminder_text, update_text
from core.messages import Address, Destination, Mention, Outbound, Reply, ReplyKind

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    from core.incidents.policy import IncidentPolicy
    from core.incidents.records import Incident, IncidentUpdate
    from core.stores import Stores
    from core.tickets.records import Ticket
    from core.tiers import TierDirectory


class Broadcast:
    """Builds and queues the notices of one incident for its tickets' customers and accounts."""

    def __init__(self, stores: Stores, tiers: TierDirectory, policy: IncidentPolicy) -> None:
        self._stores = stores
        self._tiers = tiers
        self._policy = policy

    async def update(
        self, incident: Incident, update: IncidentUpdate, now: datetime, *, resolved: Sequence[int] = ()
    ) -> int:
        """Queue ``update`` for every linked ticket's customer; how many were queued now."""
        tickets = await self._tickets(incident.tickets)
        notices = {
            t.number: _to_customer(t, update_text(incident, update, t.number, resolved_ticket=t.number in resolved))
            for t in tickets
        }
        return len(await self._stores.incidents.deliver(incident.number, f"update:{update.id}", notices, now))

    async def joined(self, incident: Incident, numbers: Sequence[int], now: datetime) -> int:
        """Tickets that just joined: the latest update at once (or that they joined), and their accounts told."""
        tickets = await self._tickets(numbers)
        latest = incident.latest
        key = f"update:{latest.id}" if latest else "joined"
        notices = {
            t.number: _to_customer(
                t, update_text(incident, latest, t.number) if latest else joined_text(incident, t.number)
            )
            for t in tickets
        }
        queued = await self._stores.incidents.deliver(incident.number, key, notices, now)
        accounts = {t.number: notice for t in tickets if (notice := await self._account_notice(incident, t))}
        await self._stores.incidents.deliver(incident.number, "account", accounts, now)
        return len(queued)

    async def remind(self, incident: Incident, key: str, now: datetime) -> int:
        """The latest status again to every linked open ticket, once under ``key`` (one reminder interval)."""
        tickets = await self._tickets(incident.tickets)
        notices = {t.number: _to_customer(t, reminder_text(incident, t.number)) for t in tickets if t.status.active}
        return len(await self._stores.incidents.deliver(incident.number, key, notices, now))

    def staff_channel(self, tier: str) -> Address:
        """Where the team hears of incidents: the configured channel, else the tier's team channel."""
        return Address.parse(self._policy.staff_channel or self._tiers.get(tier).team_channel)

    async def _tickets(self, numbers: Sequence[int]) -> list[Ticket]:
        found = [await self._stores.tickets.get(number) for number in numbers]
        return [ticket for ticket in found if ticket is not None]

    async def _account_notice(self, incident: Incident, ticket: Ticket) -> Outbound | None:
        if ticket.tier not in self._policy.notify_tiers:
            return None
        account = await self._stores.customers.get(ticket.customer)
        name = account.name if account is not None else ticket.customer
        text = account_text(incident, ticket.number, name, ticket.tier)
        if account is not None and account.csm:
            platform, _, user = account.csm.partition(":")
            mention = (Mention(platform, "user", user),)
            reply = Reply(
                ReplyKind.WARNING, text, destination=Destination.DIRECT, mentions=mention, ticket=ticket.number
            )
            return Outbound(Address.parse(account.csm), reply)
        reply = Reply(ReplyKind.WARNING, text, destination=Destination.CHANNEL, ticket=ticket.number)
        return Outbound(self.staff_channel(ticket.tier), reply)


def _to_customer(ticket: Ticket, text: str) -> Outbound:
    """A notice in the ticket's own thread (or DM), where its customer wrote."""
    return Outbound(ticket.address, Reply(ReplyKind.INFO, text, ticket=ticket.number))
