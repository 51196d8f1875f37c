"""Which calendar calls are offered in: the one ``calls.calendar`` names, else that of the first tier with calls."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.errors import HelplineError
from core.sla.calendars import BusinessCalendar, parse_opening

if TYPE_CHECKING:
    from core.calls.records import CallSettings
    from core.tiers import TierDirectory

# A tier counted on the wall clock (24x7) offers calls at any hour.
ALWAYS = BusinessCalendar("24x7", "UTC", {day: (parse_opening("00:00-24:00"),) for day in range(7)})


def support_calendar(settings: CallSettings, tiers: TierDirectory) -> BusinessCalendar:
    """The support team's calendar for calls; ``HelplineError`` naming ``calls.calendar`` when it is unknown."""
    known = {t.sla.calendar.name: t.sla.calendar for t in tiers.tiers}
    if settings.calendar:
        found = known.get(settings.calendar)
        if found is None:
            names = ", ".join(sorted(known))
            raise HelplineError(f"calls.calendar: no tier counts in a calendar named {settings.calendar!r}; {names}")
        return found if isinstance(found, BusinessCalendar) else ALWAYS
    for tier in tiers.tiers:
        if settings.policy(tier.name).offers_calls:
            calendar = tier.sla.calendar
            return calendar if isinstance(calendar, BusinessCalendar) else ALWAYS
    return ALWAYS
