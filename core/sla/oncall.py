"""Follow-the-sun on-call: whose shift it is decides who an escalation mentions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from core.sla.calendars import Opening


@dataclass(frozen=True)
class Shift:
    """A daily shift in the rotation's zone and the mentions (``platform:user:ID``, ``platform:group:ID``) it brings."""

    name: str
    hours: Opening
    mentions: tuple[str, ...]

    def covers(self, moment: time) -> bool:
        """True if the local time of day ``moment`` falls in this shift (a shift may run past midnight)."""
        start, end = self.hours.start, self.hours.end
        if end is None:
            return moment >= start
        return start <= moment < end


@dataclass(frozen=True)
class OnCall:
    """A rotation of daily shifts in one time zone."""

    zone: str = "UTC"
    shifts: Sequence[Shift] = ()

    def on_duty(self, at: datetime) -> Shift | None:
        """The shift on duty at ``at``, if any covers it."""
        local = at.astimezone(ZoneInfo(self.zone)).time()
        return next((shift for shift in self.shifts if shift.covers(local)), None)

    def gaps(self) -> list[str]:
        """Times of day (whole minutes) that no shift covers, as ``HH:MM``; the first few only."""
        missing = []
        for minute in range(0, 24 * 60):
            moment = time(minute // 60, minute % 60)
            if self.shifts and not any(shift.covers(moment) for shift in self.shifts):
                missing.append(f"{moment:%H:%M}")
        return missing[:3]
