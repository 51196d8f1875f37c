"""SLA clocks derived from a ticket's history: a pure function of its events, its targets and its calendar.

Nothing here is patched in place: a priority, tier or calendar change simply derives the clocks again
from the same events with the new targets and calendar.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from core.sla.deadlines import Calendar
from core.tickets.records import Priority


class Happening(StrEnum):
    """What an event means to the SLA clocks."""

    OPENED = "opened"
    AGENT_REPLY = "agent_reply"  # a human answered: first/next response met, waiting on the customer
    CUSTOMER = "customer"  # the customer wrote: resumes a waiting ticket, starts a next-response clock
    WAITING = "waiting"
    RESUMED = "resumed"
    RESOLVED = "resolved"
    REOPENED = "reopened"
    ACKNOWLEDGED = "acknowledged"  # someone took an escalation: its chain stops
    PRIORITY = "priority"


class ClockName(StrEnum):
    """The promises a ticket's clocks measure."""

    FIRST_RESPONSE = "first_response"
    NEXT_RESPONSE = "next_response"
    RESOLUTION = "resolution"


@dataclass(frozen=True)
class ClockEvent:
    """One thing that happened to a ticket, as the clocks see it."""

    at: datetime
    happening: Happening
    priority: Priority | None = None


@dataclass(frozen=True)
class ClockTargets:
    """The targets that apply to a ticket now, and the share of a target at which to warn."""

    first_response: timedelta | None
    next_response: timedelta | None
    resolution: timedelta | None
    warning_share: float = 0.75


@dataclass(frozen=True)
class Clock:
    """One measured promise: when it started, the counted time spent, its pauses and its key moments."""

    name: ClockName
    instance: int
    target: timedelta
    started_at: datetime
    spent: timedelta
    running: bool
    pauses: tuple[tuple[datetime, datetime | None], ...]
    met_at: datetime | None
    warn_at: datetime | None  # when counted time reaches the warning share (past or, if running, future)
    breach_at: datetime | None  # when counted time reaches the target
    deadline: datetime | None = None  # breach_at, or for a clock met in time the deadline it met

    @property
    def due(self) -> datetime | None:
        """The deadline while the clock runs or is breached-and-running; None while paused or met."""
        return self.breach_at if self.running else None

    @property
    def status(self) -> str:
        """``met``, ``late`` (met after the target), ``running``, ``breached`` or ``paused``."""
        if self.met_at is not None:
            return "late" if self.breach_at is not None and self.breach_at < self.met_at else "met"
        if self.running:
            return "breached" if self.breach_at is not None and self.spent >= self.target else "running"
        return "paused"


@dataclass(frozen=True)
class SlaState:
    """Every clock of a ticket at ``now``, with what the worker's plan needs besides the clocks."""

    now: datetime
    clocks: tuple[Clock, ...]
    status: str  # active, waiting or resolved
    opened_at: datetime | None
    waiting_since: datetime | None
    waiting_periods: int
    acknowledged: tuple[datetime, ...]
    critical_since: datetime | None
    calendar: str
    resumed_at: datetime | None = None  # when the ticket last became active again (the customer wrote, a reopen)

    def clock(self, name: ClockName) -> Clock | None:
        """The latest instance of the clock called ``name``."""
        found = [c for c in self.clocks if c.name is name]
        return found[-1] if found else None


@dataclass
class _Watch:
    """A stopwatch counting calendar time, remembering when it crossed its warning share and its target."""

    name: ClockName
    instance: int
    target: timedelta
    share: float
    calendar: Calendar
    started_at: datetime
    since: datetime | None = None
    used: timedelta = timedelta()
    pauses: list[tuple[datetime, datetime | None]] = field(default_factory=list)
    met_at: datetime | None = None
    marks: dict[str, datetime] = field(default_factory=dict)
    held_by_resolve: bool = False

    def _thresholds(self) -> tuple[tuple[str, timedelta], ...]:
        return (("warn", self.target * self.share), ("breach", self.target))

    def run(self, at: datetime) -> None:
        if self.since is not None or self.met_at is not None:
            return
        if self.pauses and self.pauses[-1][1] is None:
            self.pauses[-1] = (self.pauses[-1][0], at)
        self.since = at

    def halt(self, at: datetime, *, met: bool = False, pause: bool = True) -> None:
        if self.since is not None:
            segment = self.calendar.elapsed(self.since, at)
            for label, mark in self._thresholds():
                if label not in self.marks and self.used < mark <= self.used + segment:
                    self.marks[label] = self.calendar.add(self.since, mark - self.used)
            self.used += segment
            self.since = None
            if pause and not met:
                self.pauses.append((at, None))
        if met:
            self.met_at = at

    def result(self, now: datetime) -> Clock:
        spent, marks = self.used, dict(self.marks)
        if self.since is not None:
            spent += self.calendar.elapsed(self.since, max(now, self.since))
            for label, mark in self._thresholds():
                if label not in marks:
                    marks[label] = self.calendar.add(self.since, mark - self.used)
        deadline = marks.get("breach")
        if deadline is None and self.met_at is not None:
            deadline = self.calendar.add(self.met_at, self.target - self.used)
        return Clock(
            self.name,
            self.instance,
            self.target,
            self.started_at,
            spent,
            self.since is not None,
            tuple(self.pauses),
            self.met_at,
            marks.get("warn"),
            marks.get("breach"),
            deadline,
        )


@dataclass
class _Derivation:
    """The walk through a ticket's events, in time order."""

    targets: ClockTargets
    calendar: Calendar
    status: str = "active"
    opened_at: datetime | None = None
    first: _Watch | None = None
    resolution: _Watch | None = None
    answers: list[_Watch] = field(default_factory=list)
    responded: bool = False
    waiting_since: datetime | None = None
    waiting_periods: int = 0
    acknowledged: list[datetime] = field(default_factory=list)
    critical_since: datetime | None = None
    resumed_at: datetime | None = None

    def watch(self, name: ClockName, target: timedelta | None, at: datetime, instance: int = 1) -> _Watch | None:
        if target is None:
            return None
        found = _Watch(name, instance, target, self.targets.warning_share, self.calendar, at)
        found.run(at)
        return found

    def running(self) -> list[_Watch]:
        return [w for w in (self.first, self.resolution, *self.answers) if w is not None and w.since is not None]

    def apply(self, event: ClockEvent) -> None:
        at, what = event.at, event.happening
        if what is Happening.OPENED:
            self.opened_at = at
            self.first = self.watch(ClockName.FIRST_RESPONSE, self.targets.first_response, at)
            self.resolution = self.watch(ClockName.RESOLUTION, self.targets.resolution, at)
            self._priority(event)
        elif what is Happening.PRIORITY:
            self._priority(event)
        elif what is Happening.ACKNOWLEDGED:
            self.acknowledged.append(at)
        elif self.opened_at is None:
            return  # nothing counts before the ticket exists
        elif what is Happening.REOPENED:
            self._reopen(at)
        elif self.status == "resolved":
            return  # replies and follow-ups on a resolved ticket change no clock until it reopens
        elif what is Happening.AGENT_REPLY:
            self.responded = True
            for watch in (self.first, *self.answers):
                if watch is not None and watch.met_at is None:
                    watch.halt(at, met=True)
            self._wait(at)
        elif what is Happening.CUSTOMER:
            self._resume(at)
            if self.responded and all(w.met_at is not None for w in self.answers):
                answer = self.watch(ClockName.NEXT_RESPONSE, self.targets.next_response, at, len(self.answers) + 1)
                if answer is not None:
                    self.answers.append(answer)
        elif what is Happening.WAITING:
            self._wait(at)
        elif what is Happening.RESUMED:
            self._resume(at)
        elif what is Happening.RESOLVED:
            for watch in self.running():
                watch.held_by_resolve = True
                watch.halt(at, met=watch is self.resolution)
            self.status, self.waiting_since = "resolved", None

    def _priority(self, event: ClockEvent) -> None:
        if event.priority is Priority.CRITICAL and self.critical_since is None:
            self.critical_since = event.at
        elif event.priority is not None and event.priority is not Priority.CRITICAL:
            self.critical_since = None

    def _wait(self, at: datetime) -> None:
        if self.status == "active":
            self.status, self.waiting_since = "waiting", at
            self.waiting_periods += 1
            if self.resolution is not None:
                self.resolution.halt(at)

    def _resume(self, at: datetime) -> None:
        if self.status == "waiting":
            self.status, self.waiting_since, self.resumed_at = "active", None, at
            if self.resolution is not None:
                self.resolution.run(at)

    def _reopen(self, at: datetime) -> None:
        if self.status != "resolved":
            return
        self.status, self.resumed_at = "active", at
        if self.resolution is not None:  # it may have been paused (waiting) when the ticket was resolved
            self.resolution.met_at = None
            self.resolution.held_by_resolve = True
        for watch in (self.first, self.resolution, *self.answers):
            if watch is not None and watch.held_by_resolve:
                watch.held_by_resolve = False
                watch.run(at)


def sla_state(events: Iterable[ClockEvent], targets: ClockTargets, calendar: Calendar, now: datetime) -> SlaState:
    """Every SLA clock of a ticket with these events, under ``targets`` counted in ``calendar``, at ``now``.

    Events after ``now`` are ignored; events at the same moment apply in the order given.
    """
    walk = _Derivation(targets, calendar)
    for event in sorted((e for e in events if e.at <= now), key=lambda e: e.at):
        walk.apply(event)
    watches = [w for w in (walk.first, *walk.answers, walk.resolution) if w is not None]
    return SlaState(
        now=now,
        clocks=tuple(w.result(now) for w in watches),
        status=walk.status,
        opened_at=walk.opened_at,
        waiting_since=walk.waiting_since,
        waiting_periods=walk.waiting_periods,
        acknowledged=tuple(walk.acknowledged),
        critical_since=walk.critical_since if walk.status != "resolved" else None,
        calendar=calendar.name,
        resumed_at=walk.resumed_at,
    )
