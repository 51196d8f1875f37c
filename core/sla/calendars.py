"""Business-hours calendars: which moments count towards an SLA target, in the calendar's own time zone."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# A calendar with no opening in this many days is refused: adding to it would never end.
_SEARCH_DAYS = 400


@dataclass(frozen=True)
class Opening:
    """One opening interval of a weekday in local wall time; ``end`` None means midnight at the day's end."""

    start: time
    end: time | None

    def __post_init__(self) -> None:
        if self.end is not None and self.end <= self.start:
            raise ValueError(f"opening {self.start:%H:%M}-{self.end:%H:%M} ends before it starts")


@dataclass(frozen=True)
class BusinessCalendar:
    """Weekly opening hours (several intervals a day allowed) in a time zone, closed on holidays.

    Counted time is real elapsed time inside openings, so a day on which the clocks change
    counts the hours that really passed.
    """

    name: str
    zone: str
    week: Mapping[int, Sequence[Opening]]  # weekday (Monday 0) → openings, in order
    holidays: frozenset[date] = frozenset()
    _tz: ZoneInfo = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_tz", ZoneInfo(self.zone))
        if not any(self.week.get(day) for day in range(7)):
            raise ValueError(f"calendar {self.name!r} is never open")
        for day, openings in self.week.items():
            for before, after in pairwise(openings):
                if before.end is None or after.start < before.end:
                    raise ValueError(f"calendar {self.name!r}: openings of {WEEKDAYS[day]} overlap or are out of order")

    @property
    def always_open(self) -> bool:
        """False: a business calendar has closed hours (24×7 is ``WallClock``)."""
        return False

    def _day_intervals(self, day: date) -> list[tuple[datetime, datetime]]:
        if day in self.holidays:
            return []
        found = []
        for opening in self.week.get(day.weekday(), ()):
            start = datetime.combine(day, opening.start, self._tz)
            end_day, end_time = (day, opening.end) if opening.end is not None else (day + timedelta(days=1), time())
            end = datetime.combine(end_day, end_time, self._tz)
            found.append((start.astimezone(UTC), end.astimezone(UTC)))
        return found

    def intervals(self, start: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Open intervals (UTC) from ``start`` on, the first one clipped to begin at ``start``."""
        start = start.astimezone(UTC)
        day = start.astimezone(self._tz).date() - timedelta(days=1)
        idle = 0
        while idle < _SEARCH_DAYS:
            spans = [(max(a, start), b) for a, b in self._day_intervals(day) if b > start]
            idle = 0 if spans else idle + 1
            yield from spans
            day += timedelta(days=1)
        raise ValueError(f"calendar {self.name!r} has no opening within {_SEARCH_DAYS} days of {start:%Y-%m-%d}")

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The moment ``duration`` of open time after ``start``; a zero duration gives the next open moment."""
        left = duration
        for a, b in self.intervals(start):
            # Ending exactly at a closing time is due then, not at the next opening.
            if b - a >= left and (left > timedelta() or b > a):
                return a + left
            left -= b - a
        raise AssertionError("unreachable: intervals() raises when it runs out")

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        """Open time between ``start`` and ``end`` (zero when ``end`` is not after ``start``)."""
        total = timedelta()
        if end <= start:
            return total
        for a, b in self.intervals(start):
            if a >= end:
                break
            total += min(b, end) - a
        return total

    def describe(self) -> str:
        """The calendar in a line, for ``sla explain``."""
        days = []
        for day in range(7):
            spans = ", ".join(
                f"{o.start:%H:%M}-{o.end:%H:%M}" if o.end else f"{o.start:%H:%M}-24:00" for o in self.week.get(day, ())
            )
            if spans:
                days.append(f"{WEEKDAYS[day]} {spans}")
        holidays = f"; {len(self.holidays)} holiday(s)" if self.holidays else ""
        return f"{self.name} ({self.zone}): {'; '.join(days)}{holidays}"


def parse_opening(text: str) -> Opening:
    """``"08:00-18:00"`` (``24:00`` allowed as the end) as an ``Opening``; ``ValueError`` with the reason."""
    first, sep, second = text.strip().partition("-")
    if not sep:
        raise ValueError(f"{text!r} is not an opening like 08:00-18:00")
    try:
        start = time.fromisoformat(first.strip())
        end = None if second.strip() == "24:00" else time.fromisoformat(second.strip())
    except ValueError:
        raise ValueError(f"{text!r} is not an opening like 08:00-18:00") from None
    return Opening(start, end)
