"""Proposing incidents: a burst of critical tickets alike in meaning asks the staff channel to open one, and a new
ticket like an open incident's asks to link it.

The pass runs on the escalation worker. "Alike" is the cosine similarity of the desk's embedder between ticket
subjects (and an incident's title with its tickets' subjects) from ``similar_score``. A burst is proposed once,
keyed by its oldest ticket; a ticket is offered to an incident once (the ``offer`` delivery key).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import numpy as np

from core.incidents.broadcast import Broadcast
from core.messages import Destination, Outbound, Reply, ReplyKind
from core.retention import Periodic
from core.tickets.records import Priority

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime, timedelta

    from core.incidents.policy import IncidentPolicy
    from core.incidents.records import Incident
    from core.ports import Clock, Embedder, Vectors
    from core.stores import Stores
    from core.tickets.records import Ticket
    from core.tiers import TierDirectory

SCANNED = 500  # active tickets read per pass, most urgent (critical) first


class IncidentProposals(Periodic):
    """Looks at the recent critical tickets not in an incident, at most once an ``every``."""

    def __init__(
        self,
        stores: Stores,
        tiers: TierDirectory,
        clock: Clock,
        policy: IncidentPolicy,
        embedder: Embedder,
        every: timedelta,
    ) -> None:
        super().__init__(clock, every)
        self._stores = stores
        self._policy = policy
        self._embedder = embedder
        self._broadcast = Broadcast(stores, tiers, policy)

    async def work(self, now: datetime) -> int:
        """Offer matching tickets to open incidents, then propose incidents for bursts; how many notices queued."""
        recent = await self._recent(now)
        if not recent:
            return 0
        incidents = await self._stores.incidents.incidents(open_only=True)
        alone = [t for t in recent if not any(t.number in i.tickets for i in incidents)]
        offered = await self._offer(alone, incidents, now)
        left = [t for t in alone if t.number not in offered]
        return len(offered) + await self._propose(left, now)

    async def _recent(self, now: datetime) -> list[Ticket]:
        active = await self._stores.tickets.list_tickets(limit=SCANNED)
        since = now - self._policy.window
        found = [t for t in active if t.priority is Priority.CRITICAL and t.created_at >= since]
        return sorted(found, key=lambda t: t.number)

    async def _offer(self, tickets: Sequence[Ticket], incidents: Sequence[Incident], now: datetime) -> set[int]:
        """Each ticket like an open incident (its title or a linked ticket's subject) is offered to the best one."""
        if not tickets or not incidents:
            return set()
        offered: set[int] = set()
        mine = await self._embed([t.subject for t in tickets])
        for incident in incidents:
            linked = [t for t in [await self._stores.tickets.get(n) for n in incident.tickets] if t is not None]
            theirs = await self._embed([incident.title, *(t.subject for t in linked)])
            best = (mine @ theirs.T).max(axis=1)
            for ticket, score in zip(tickets, best, strict=True):
                if ticket.number in offered or score < self._policy.similar_score:
                    continue
                notice = self._staff(ticket.tier, _offer_text(incident, ticket))
                await self._stores.incidents.deliver(incident.number, "offer", {ticket.number: notice}, now)
                offered.add(ticket.number)  # offered now or on an earlier pass: not part of a new burst
        return offered

    async def _propose(self, tickets: Sequence[Ticket], now: datetime) -> int:
        """A burst of ``propose_after`` alike tickets, proposed once (keyed by its oldest ticket)."""
        wanted = self._policy.propose_after
        if len(tickets) < wanted:
            return 0
        vectors = await self._embed([t.subject for t in tickets])
        alike = (vectors @ vectors.T) >= self._policy.similar_score
        for row, ticket in enumerate(tickets):
            group = [tickets[int(i)] for i in np.flatnonzero(alike[row])]
            if len(group) >= wanted and group[0] is ticket:  # the burst's oldest ticket names it
                notice = self._staff(ticket.tier, _proposal_text(group))
                return int(await self._stores.incidents.propose(f"tickets:{ticket.number}", [notice], now))
        return 0

    async def _embed(self, texts: Sequence[str]) -> Vectors:
        # The model is not run on the event loop.
        return await asyncio.to_thread(self._embedder.embed, list(texts))

    def _staff(self, tier: str, text: str) -> Outbound:
        reply = Reply(ReplyKind.WARNING, text, destination=Destination.CHANNEL)
        return Outbound(self._broadcast.staff_channel(tier), reply)


def _numbers(tickets: Sequence[Ticket]) -> str:
    return " ".join(str(t.number) for t in tickets)


def _proposal_text(group: Sequence[Ticket]) -> str:
    first = group[0]
    return (
        f"Open an incident? {len(group)} critical tickets alike arrived within minutes "
        f"(#{', #'.join(str(t.number) for t in group)}), e.g. '{first.subject}'. "
        f"To open one: incident open critical TITLE, then incident link ID {_numbers(group)}"
    )


def _offer_text(incident: Incident, ticket: Ticket) -> str:
    return (
        f"Link ticket #{ticket.number} to incident #{incident.number} '{incident.title}'? "
        f"It reads alike: '{ticket.subject}'. To link it: incident link {incident.number} {ticket.number}"
    )
