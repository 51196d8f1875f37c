"""SLA outcomes judged at the end of a period from the SLA engine's own clocks (met, missed or pending)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from core.analytics.timing import share
from core.sla.clocks import Clock, ClockName, SlaState
from core.sla.planner import TierPlanner
from core.tickets.records import Ticket, TicketEvent

MET, MISSED, PENDING = "met", "missed", "pending"
JUDGED_CLOCKS = (ClockName.FIRST_RESPONSE, ClockName.RESOLUTION)
BREACHES_SHOWN = 50
_K = TypeVar("_K")


@dataclass(frozen=True)
class Judgement:
    """How one of a ticket's promises stood at the end of the period."""

    clock: str  # first_response or resolution
    outcome: str  # met, missed or pending
    due: datetime | None  # when counted time reached (or will reach) the target
    met_at: datetime | None


def judge(clock: Clock, *, resolved: bool = False) -> Judgement:
    """Met at or before its deadline, missed (met late, or its time used up), else still pending.

    A ticket resolved while it waited on the customer leaves its resolution clock paused, with no ``met_at``:
    resolved within its target, that promise was kept.
    """
    if clock.met_at is not None:
        late = clock.breach_at is not None and clock.breach_at < clock.met_at
        return Judgement(clock.name, MISSED if late else MET, clock.deadline, clock.met_at)
    kept = resolved and clock.name is ClockName.RESOLUTION
    outcome = MISSED if clock.spent >= clock.target else MET if kept else PENDING
    return Judgement(clock.name, outcome, clock.breach_at, None)


def judgements(planner: TierPlanner, ticket: Ticket, events: list[TicketEvent], end: datetime) -> tuple[Judgement, ...]:
    """The first-response and resolution promises of ``ticket`` at ``end`` (none for an unknown tier or no target)."""
    return judged(planner.state(ticket, events, end))


def judged(state: SlaState | None) -> tuple[Judgement, ...]:
    """The first-response and resolution promises of an SLA state (none without a state or a target)."""
    if state is None:
        return ()
    found = []
    for name in JUDGED_CLOCKS:
        clock = state.clock(name)
        if clock is not None:
            found.append(judge(clock, resolved=state.status == "resolved"))
    return tuple(found)


@dataclass
class Outcome:
    """Promises met, missed and still pending; compliance is met over the judged ones."""

    met: int = 0
    missed: int = 0
    pending: int = 0

    def add(self, outcome: str) -> None:
        """Count one judgement."""
        if outcome == MET:
            self.met += 1
        elif outcome == MISSED:
            self.missed += 1
        else:
            self.pending += 1

    @property
    def compliance(self) -> float | None:
        """met / (met + missed); None when nothing was judged."""
        return share(self.met, self.met + self.missed)

    def as_dict(self) -> dict[str, Any]:
        """The OUTCOME object of the JSON document."""
        return {"met": self.met, "missed": self.missed, "pending": self.pending, "compliance": self.compliance}


@dataclass
class OutcomePair:
    """First-response and resolution outcomes side by side."""

    first_response: Outcome = field(default_factory=Outcome)
    resolution: Outcome = field(default_factory=Outcome)

    def add(self, judgement: Judgement) -> None:
        """Count a judgement under its clock."""
        target = self.first_response if judgement.clock == ClockName.FIRST_RESPONSE else self.resolution
        target.add(judgement.outcome)

    def as_dict(self) -> dict[str, Any]:
        """``{"first_response": OUTCOME, "resolution": OUTCOME}``."""
        return {"first_response": self.first_response.as_dict(), "resolution": self.resolution.as_dict()}


@dataclass(frozen=True)
class Breach:
    """A missed promise, for the breaches list."""

    ticket: int
    tier: str
    priority: str
    clock: str
    due: datetime
    met_at: datetime | None
    late_seconds: float

    def as_dict(self) -> dict[str, Any]:
        """One entry of ``sla.breaches``."""
        return {
            "ticket": self.ticket,
            "tier": self.tier,
            "priority": self.priority,
            "clock": self.clock,
            "due": self.due.isoformat(),
            "met_at": self.met_at.isoformat() if self.met_at is not None else None,
            "late_seconds": self.late_seconds,
        }


@dataclass
class SlaFigures:
    """Outcomes overall, by tier and by tier and priority, and the worst breaches."""

    overall: OutcomePair = field(default_factory=OutcomePair)
    by_tier: dict[str, OutcomePair] = field(default_factory=dict)
    by_priority: dict[tuple[str, str], OutcomePair] = field(default_factory=dict)
    breaches: list[Breach] = field(default_factory=list)

    def add(self, number: int, tier: str, priority: str, found: Iterable[Judgement], end: datetime) -> None:
        """Count one ticket's judgements; a missed one with a known deadline joins the breaches."""
        for judgement in found:
            self.overall.add(judgement)
            _pair(self.by_tier, tier).add(judgement)
            _pair(self.by_priority, (tier, priority)).add(judgement)
            if judgement.outcome == MISSED and judgement.due is not None:
                stop = judgement.met_at or end
                late = (stop - judgement.due).total_seconds()
                breach = Breach(number, tier, priority, judgement.clock, judgement.due, judgement.met_at, late)
                self.breaches.append(breach)

    def as_dict(self) -> dict[str, Any]:
        """The ``sla`` object of the JSON document (breaches: most late first, at most 50)."""
        tiers: dict[str, Any] = {}
        for tier in sorted(self.by_tier):
            priorities = {p: pair.as_dict() for (t, p), pair in sorted(self.by_priority.items()) if t == tier}
            tiers[tier] = {**self.by_tier[tier].as_dict(), "by_priority": priorities}
        worst = sorted(self.breaches, key=lambda b: (-b.late_seconds, b.ticket, b.clock))[:BREACHES_SHOWN]
        return {**self.overall.as_dict(), "by_tier": tiers, "breaches": [b.as_dict() for b in worst]}


def _pair(pairs: dict[_K, OutcomePair], key: _K) -> OutcomePair:
    """The pair kept under ``key``, new if none (not built on every call, as ``setdefault``'s default would be)."""
    found = pairs.get(key)
    if found is None:
        found = pairs[key] = OutcomePair()
    return found
