"""A brute-force, minute-by-minute SLA reference, written from the rules alone (no engine code), and a
generator of simulated weeks of tickets to run it and the engine side by side.

The reference never adds durations to dates: it walks every minute, asks whether the minute is open
(local wall time in the calendar's zone, weekday openings, holidays) and counts it on each running clock.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

MINUTE = timedelta(minutes=1)
Fired = tuple[int, str, str, int, int, datetime]  # ticket, action, clock, instance, level, fired at
_OPEN: dict[tuple[int, datetime], bool] = {}


@dataclass(frozen=True)
class RefCalendar:
    """Openings per weekday (local ``HH:MM`` pairs) in a zone, closed on holidays; None means always open."""

    zone: str
    week: dict[int, list[tuple[str, str]]] | None
    holidays: frozenset[date] = frozenset()

    def is_open(self, minute: datetime) -> bool:
        """True if the minute starting at ``minute`` counts."""
        if self.week is None:
            return True
        key = (id(self), minute)
        if key not in _OPEN:
            _OPEN[key] = self._is_open(minute)
        return _OPEN[key]

    def _is_open(self, minute: datetime) -> bool:
        assert self.week is not None
        local = minute.astimezone(ZoneInfo(self.zone))
        if local.date() in self.holidays:
            return False
        now = local.time()
        for start, end in self.week.get(local.weekday(), []):
            until = time(23, 59, 59, 999999) if end == "24:00" else time.fromisoformat(end)
            if time.fromisoformat(start) <= now and (now < until or end == "24:00"):
                return True
        return False


@dataclass(frozen=True)
class RefTier:
    """A tier as the reference sees it: targets in minutes per priority, warning share, chain waits."""

    name: str
    calendar: RefCalendar
    first: dict[str, int]
    next: dict[str, int]
    resolution: dict[str, int]
    share: float
    waits: list[int]  # minutes from each level to the next


@dataclass(frozen=True)
class SimEvent:
    """One thing done to a simulated ticket at a whole minute."""

    at: datetime
    kind: str  # opened, replied, customer_message, resolved, reopened, priority, acknowledged
    priority: str = ""


@dataclass
class SimTicket:
    """A simulated ticket: its tier, its events in order."""

    number: int
    tier: str
    events: list[SimEvent]


@dataclass
class _Clock:
    name: str
    instance: int
    running: bool = True
    met: bool = False
    counted: list[datetime] = field(default_factory=list)  # the end of each counted minute, in order
    held: bool = False  # stopped by a resolve, resumed by a reopen


class _Ticket:
    """The rules, applied one event at a time."""

    def __init__(self) -> None:
        self.status = "active"
        self.responded = False
        self.priority = ""
        self.clocks: list[_Clock] = []
        self.acks: list[datetime] = []

    def _get(self, name: str) -> _Clock | None:
        return next((c for c in self.clocks if c.name == name), None)

    def apply(self, event: SimEvent) -> None:
        kind = event.kind
        if kind == "opened":
            self.priority = event.priority
            self.clocks = [_Clock("first_response", 1), _Clock("resolution", 1)]
        elif kind == "priority":
            self.priority = event.priority
        elif kind == "acknowledged":
            self.acks.append(event.at)
        elif kind == "reopened" and self.status == "resolved":
            self.status = "active"
            for clock in self.clocks:
                if clock.held or clock.name == "resolution":
                    clock.held, clock.running, clock.met = False, not (clock.met and clock.name != "resolution"), False
        elif self.status == "resolved":
            return
        elif kind == "replied":
            self.responded = True
            for clock in self.clocks:
                if clock.name != "resolution" and not clock.met:
                    clock.met, clock.running = True, False
            if self.status == "active":
                self.status = "waiting"
                self._get("resolution").running = False  # type: ignore[union-attr]
        elif kind == "customer_message":
            if self.status == "waiting":
                self.status = "active"
                self._get("resolution").running = True  # type: ignore[union-attr]
            answers = [c for c in self.clocks if c.name == "next_response"]
            if self.responded and all(c.met for c in answers):
                self.clocks.append(_Clock("next_response", len(answers) + 1))
        elif kind == "resolved":
            for clock in self.clocks:
                if clock.running:
                    clock.running, clock.held = False, True
            self._get("resolution").met = True  # type: ignore[union-attr]
            self.status = "resolved"


def reference(
    tickets: list[SimTicket], tiers: dict[str, RefTier], start: datetime, end: datetime, tick: int
) -> set[Fired]:
    """Every warning and escalation level the rules fire, at the worker tick (every ``tick`` minutes) that fires it."""
    fired: set[Fired] = set()
    for ticket in tickets:
        fired |= _one(ticket, tiers[ticket.tier], start, end, tick)
    return fired


def _one(ticket: SimTicket, tier: RefTier, start: datetime, end: datetime, tick: int) -> set[Fired]:
    state, pending, fired, done = _Ticket(), list(ticket.events), set(), set()
    moment = ticket.events[0].at
    while moment <= end:
        while pending and pending[0].at <= moment:
            state.apply(pending.pop(0))
        if (moment - start) % (tick * MINUTE) == timedelta():
            for item in _due(state, tier, moment):
                if item not in done:
                    done.add(item)
                    fired.add((ticket.number, *item, moment))
        open_minute = tier.calendar.is_open(moment)
        for clock in state.clocks:
            if clock.running and open_minute:
                clock.counted.append(moment + MINUTE)
        moment += MINUTE
    return fired


def _due(state: _Ticket, tier: RefTier, moment: datetime) -> list[tuple[str, str, int, int]]:
    found = []
    targets = {"first_response": tier.first, "next_response": tier.next, "resolution": tier.resolution}
    for clock in state.clocks:
        target = targets[clock.name].get(state.priority)
        if not clock.running or target is None:
            continue
        warn = round(target * tier.share)
        if len(clock.counted) >= warn and clock.counted[warn - 1] <= moment:
            found.append(("warning", clock.name, clock.instance, 0))
        if len(clock.counted) < target:
            continue
        breach = clock.counted[target - 1]
        if any(ack >= breach for ack in state.acks if ack <= moment):
            continue
        level_at = breach
        for level in range(1, len(tier.waits) + 2):
            if level_at <= moment:
                found.append(("escalation", clock.name, clock.instance, level))
            if level <= len(tier.waits):
                level_at += tier.waits[level - 1] * MINUTE
    return found


PRIORITIES = ("critical", "high", "medium", "low")


def simulate(count: int, tiers: list[str], start: datetime, days: int, seed: int) -> list[SimTicket]:
    """``count`` tickets opened over ``days`` from ``start``, with replies, follow-ups, pauses, resolves, reopens,
    priority changes and acknowledgements at random whole minutes."""
    rng = random.Random(seed)
    span = days * 24 * 60
    made = []
    for number in range(1, count + 1):
        at = start + rng.randrange(span - 60) * MINUTE
        priority = rng.choice(PRIORITIES)
        events = [SimEvent(at, "opened", priority)]
        status, responded = "active", False
        for _ in range(rng.randrange(8)):
            at += rng.randrange(1, 600) * MINUTE
            if at >= start + span * MINUTE:
                break
            kind = _next_kind(rng, status, responded)
            if kind == "priority":
                priority = rng.choice([p for p in PRIORITIES if p != priority])
            events.append(SimEvent(at, kind, priority if kind == "priority" else ""))
            status, responded = _after(kind, status, responded)
        made.append(SimTicket(number, tiers[number % len(tiers)], events))
    return made


def _next_kind(rng: random.Random, status: str, responded: bool) -> str:
    if status == "resolved":
        return rng.choice(["reopened", "customer_message"])
    choices = ["replied", "replied", "customer_message", "resolved", "priority", "acknowledged"]
    return rng.choice(choices if responded else ["replied", "replied", "customer_message", "priority", "acknowledged"])


def _after(kind: str, status: str, responded: bool) -> tuple[str, bool]:
    if kind == "resolved":
        return "resolved", responded
    if kind == "reopened":
        return "active", responded
    if kind == "replied" and status != "resolved":
        return "waiting", True
    if kind == "customer_message" and status == "waiting":
        return "active", responded
    return status, responded


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A UTC time from its parts."""
    return datetime(year, month, day, hour, minute, tzinfo=UTC)
