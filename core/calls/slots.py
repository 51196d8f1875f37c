"""Free call slots: the support calendar's open hours minus calls already booked."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.sla.calendars import BusinessCalendar


def free_slots(
    calendar: BusinessCalendar,
    after: datetime,
    length: timedelta,
    booked: Iterable[tuple[datetime, datetime]],
    count: int = 3,
) -> list[datetime]:
    """The first ``count`` slot starts (UTC) of ``length`` inside one opening, clear of ``booked``.

    Slots start on the quarter hour of real time so a day on which the clocks change still
    offers whole slots; a booked call pushes the next slot to its end.
    """
    if length <= timedelta():
        raise ValueError("a call must last longer than zero minutes")
    taken = sorted((a.astimezone(UTC), b.astimezone(UTC)) for a, b in booked)
    found: list[datetime] = []
    for open_start, open_end in calendar.intervals(after):
        start = _round_up(open_start)
        while start + length <= open_end:
            clash = next((b for a, b in taken if a < start + length and b > start), None)
            if clash is None:
                found.append(start)
                if len(found) == count:
                    return found
                start += length
            else:
                start = _round_up(clash)
    raise AssertionError("unreachable: intervals() raises when it runs out")


def _round_up(moment: datetime) -> datetime:
    moment = moment.astimezone(UTC)
    base = moment.replace(minute=0, second=0, microsecond=0)
    quarters = -(-(moment - base) // timedelta(minutes=15))
    return base + quarters * timedelta(minutes=15)


def shown_zone(person_zone: str | None, calendar: BusinessCalendar) -> tuple[ZoneInfo, bool]:
    """The zone to show slots in and whether it is the customer's own (else the calendar's, said openly)."""
    if person_zone:
        try:
            return ZoneInfo(person_zone), True
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return ZoneInfo(calendar.zone), False


def describe_slots(slots: list[datetime], person_zone: str | None, calendar: BusinessCalendar) -> list[str]:
    """Each slot as the customer reads it, e.g. ``Tue 3 Mar 14:00 (Europe/Berlin)``: short enough for a button."""
    zone, _ = shown_zone(person_zone, calendar)
    return [f"{s.astimezone(zone):%a %d %b %H:%M} ({zone})" for s in slots]


def zone_note(person_zone: str | None, calendar: BusinessCalendar) -> str:
    """What the offer says about the zone its times are in: nothing when it is the customer's own."""
    zone, own = shown_zone(person_zone, calendar)
    return "" if own else f" Times are the support team's ({zone})."
