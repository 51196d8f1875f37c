"""From a stored ticket to its SLA state and its plan of due work, with the tier's targets and calendar."""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from core.sla.clocks import ClockName, ClockTargets, SlaState, sla_state
from core.sla.events import clock_events
from core.sla.plan import ActionKey, DueAction, plan
from core.tickets.records import Priority, Ticket, TicketEvent
from core.tiers import Tier, TierDirectory


@dataclass(frozen=True)
class SlaPlan:
    """What the store keeps about a ticket's SLA: its derived deadlines (denormalised) and its due work."""

    first_response_due: datetime | None
    resolution_due: datetime | None
    next_response_due: datetime | None
    actions: tuple[DueAction, ...]


def clock_targets(tier: Tier, ticket: Ticket) -> ClockTargets:
    """The targets of ``ticket`` at its current priority."""
    return targets_at(tier, ticket.priority)


def targets_at(tier: Tier, priority: Priority) -> ClockTargets:
    """The targets of ``tier`` for a ticket of ``priority``."""
    targets = tier.targets
    return ClockTargets(
        targets.first_response.get(priority),
        targets.next_response_for(priority),
        targets.resolution.get(priority),
        tier.sla.warning_share,
    )


class TierPlanner:
    """Plans tickets with the configured tiers; the store calls it inside the transaction that logs an event."""

    def __init__(self, tiers: TierDirectory) -> None:
        self.tiers = tiers
        config = repr(tuple((t.name, t.targets, t.sla) for t in tiers.tiers)) + repr(tiers.on_call)
        config += repr(sorted((c.id, tiers.calendar_for(tiers.get(c.tier), c.id).name) for c in tiers.customers))
        # Stored with the plans: a different value at start-up means the SLA configuration changed.
        self.fingerprint = hashlib.sha256(config.encode()).hexdigest()[:32]

    def state(self, ticket: Ticket, events: Sequence[TicketEvent], now: datetime) -> SlaState | None:
        """The ticket's clocks at ``now``; None if its tier is no longer configured."""
        try:
            tier = self.tiers.get(ticket.tier)
        except KeyError:
            return None
        calendar = self.tiers.calendar_for(tier, ticket.customer)
        return sla_state(clock_events(events), clock_targets(tier, ticket), calendar, now)

    def plan(
        self, ticket: Ticket, events: Sequence[TicketEvent], fired: Collection[ActionKey], now: datetime
    ) -> SlaPlan:
        """The deadlines and due work of ``ticket`` given its whole audit log and what already fired."""
        state = self.state(ticket, events, now)
        if state is None:  # keep what the ticket had; nothing new is scheduled for an unknown tier
            return SlaPlan(ticket.first_response_due, ticket.resolution_due, None, ())
        first, answer = state.clock(ClockName.FIRST_RESPONSE), state.clock(ClockName.NEXT_RESPONSE)
        resolution = state.clock(ClockName.RESOLUTION)
        return SlaPlan(
            first.deadline if first is not None else None,
            resolution.due if resolution is not None else None,
            answer.due if answer is not None else None,
            tuple(plan(state, self.tiers.get(ticket.tier).sla, fired, now)),
        )
