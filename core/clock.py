"""Clocks: the real one, one that tests set by hand, and the console's movable one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class SystemClock:
    """The machine's time, in UTC."""

    def now(self) -> datetime:
        """The current UTC time."""
        return datetime.now(UTC)


class ManualClock:
    """A clock that only moves when told to; for tests."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("the clock needs a timezone-aware start time")
        self._now = start

    def now(self) -> datetime:
        """The time the clock was last set to."""
        return self._now

    def advance(self, delta: timedelta) -> None:
        """Move the clock forward by ``delta``."""
        if delta < timedelta():
            raise ValueError("the clock cannot go backwards")
        self._now += delta


# How far ``/wait`` may move the console's clock in all: a hundred years, far from datetime's year 9999.
MAX_SHIFT = timedelta(days=36_500)


class ShiftedClock:
    """The real time plus an offset the console moves forward with ``/wait``, at most ``MAX_SHIFT`` in all."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def now(self) -> datetime:
        """The current UTC time plus the offset."""
        return datetime.now(UTC) + self.offset

    def advance(self, delta: timedelta) -> None:
        """Pretend ``delta`` has passed; ``ValueError`` (the clock unmoved) past ``MAX_SHIFT`` in all."""
        if delta < timedelta():
            raise ValueError("the clock cannot go backwards")
        if self.offset + delta > MAX_SHIFT:
            left = (MAX_SHIFT - self.offset).days
            raise ValueError(f"the clock can move at most {MAX_SHIFT.days}d ahead in all ({left}d left)")
        self.offset += delta
