"""Deadline maths, kept in one place so business-hours calendars can replace the wall clock."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from core.tickets.records import Priority, Ticket, TicketChange, TicketStatus

_UNITS = {"w": timedelta(weeks=1), "d": timedelta(days=1), "h": timedelta(hours=1), "m": timedelta(minutes=1)}
_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(w|d|h|m)", re.IGNORECASE)
_WHOLE = re.compile(r"^\s*(?:\d+(?:\.\d+)?\s*[wdhm]\s*)+$", re.IGNORECASE)
# The longest duration anyone may give (a target, a window, a console /wait): ten years. Far beyond any
# real SLA, and far enough from datetime's year 9999 that adding it to any date is safe.
MAX_DURATION = timedelta(days=3650)
_MAX_CHARS = 64  # of a refused duration, quoted back


def parse_duration(text: str) -> timedelta:
    """``"3h"``, ``"90m"``, ``"1w"``, ``"1h30m"`` as a timedelta; ``ValueError`` with a readable reason.

    Durations are bounded by ``MAX_DURATION`` so nothing a person types can overflow a date.
    """
    shown = text if len(text) <= _MAX_CHARS else text[:_MAX_CHARS] + "…"
    if not _WHOLE.match(text):
        raise ValueError(f"{shown!r} is not a duration like 30m, 3h, 2d or 1w")
    # Summed as float seconds first: a huge amount is refused here instead of overflowing a timedelta.
    seconds = sum(float(amount) * _UNITS[unit.lower()].total_seconds() for amount, unit in _PART.findall(text))
    if not seconds <= MAX_DURATION.total_seconds():
        raise ValueError(f"{shown!r} is too long: durations are at most {MAX_DURATION.days}d (ten years)")
    total = timedelta(seconds=seconds)
    if total <= timedelta():
        raise ValueError(f"{text!r} is not a positive duration")
    return total


def describe_duration(duration: timedelta) -> str:
    """A duration in plain words: ``2 hours``, ``1 week``, ``72 hours``, ``45 minutes``."""
    minutes = round(duration.total_seconds() / 60)
    for unit, size in (("week", 7 * 24 * 60), ("day", 24 * 60), ("hour", 60)):
        # Targets are usually stated in hours up to three days ("72 hours"), then in days or weeks.
        if minutes % size == 0 and (unit == "hour" or minutes > 72 * 60):
            count = minutes // size
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


class Calendar(Protocol):
    """Which time counts towards a target: turns "this long from then" into a deadline and back."""

    @property
    def name(self) -> str:
        """The calendar's name in the configuration."""
        ...

    @property
    def always_open(self) -> bool:
        """True for a 24×7 calendar."""
        ...

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The moment ``duration`` of counted time after ``start``."""
        ...

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        """Counted time between ``start`` and ``end``."""
        ...

    def describe(self) -> str:
        """The calendar in one line."""
        ...


class WallClock:
    """Every hour counts: the calendar of 24×7 tiers."""

    name = "24x7"
    always_open = True

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """``start + duration``."""
        return start + duration

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        """``end - start``, never negative."""
        return max(end - start, timedelta())

    def describe(self) -> str:
        """``24x7``: every hour of every day counts."""
        return "24x7: every hour of every day counts"


WALL_CLOCK = WallClock()


@dataclass(frozen=True)
class Targets:
    """A tier's targets per priority; ``None`` means not covered.

    ``next_response`` (the wait after each customer follow-up) falls back to the first-response target.
    """

    first_response: dict[Priority, timedelta | None]
    resolution: dict[Priority, timedelta | None]
    next_response: dict[Priority, timedelta | None] = field(default_factory=dict)

    def next_response_for(self, priority: Priority) -> timedelta | None:
        """The next-response target at ``priority``."""
        if priority in self.next_response:
            return self.next_response[priority]
        return self.first_response.get(priority)


@dataclass(frozen=True)
class Deadlines:
    """When a ticket is due its first human response and its resolution."""

    first_response: datetime | None
    resolution: datetime | None


def deadlines(targets: Targets, priority: Priority, opened_at: datetime, calendar: Calendar = WALL_CLOCK) -> Deadlines:
    """The deadlines of a ticket of ``priority`` opened at ``opened_at`` under ``targets``."""
    first = targets.first_response.get(priority)
    resolution = targets.resolution.get(priority)
    return Deadlines(
        calendar.add(opened_at, first) if first is not None else None,
        calendar.add(opened_at, resolution) if resolution is not None else None,
    )


def reprioritised(
    ticket: Ticket, targets: Targets, priority: Priority, status: TicketStatus | None = None
) -> TicketChange:
    """The change that gives ``ticket`` a new priority, its deadlines recomputed from when it opened."""
    due = deadlines(targets, priority, ticket.created_at)
    return TicketChange(
        status=status,
        priority=priority,
        first_response_due=due.first_response,
        resolution_due=due.resolution,
    )
