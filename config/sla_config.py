"""The SLA parts of ``tiers.yaml``: calendars, warning share, escalation chains, reminders, stale tickets, on-call."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from config.addresses import check_address, check_mention
from core.sla.calendars import WEEKDAYS, BusinessCalendar, Opening, parse_opening
from core.sla.deadlines import WALL_CLOCK, Calendar, parse_duration
from core.sla.oncall import OnCall, Shift
from core.sla.plan import ON_CALL, EscalationLevel, TierSla

ALWAYS_OPEN = "24x7"


def _problem(kind: str, message: str) -> PydanticCustomError:
    return PydanticCustomError(kind, message)


def _duration(value: object) -> timedelta | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise _problem("duration", "expected a duration like 30m, 3h, 2d or 1w (a bare number has no unit)")
    try:
        return parse_duration(value)
    except ValueError as exc:
        raise _problem("duration", str(exc)) from None


def _share(value: object) -> float:
    text = value.strip() if isinstance(value, str) else value
    if isinstance(text, str) and text.endswith("%"):
        try:
            text = float(text[:-1]) / 100
        except ValueError:
            raise _problem("share", f"{value!r} is not a share like 75% or 0.75") from None
    if not isinstance(text, int | float) or isinstance(text, bool) or not 0 < text < 1:
        raise _problem("share", f"{value!r} is not a share between 0 and 1 exclusive, like 75% or 0.75")
    return float(text)


def _zone(value: object) -> str:
    if not isinstance(value, str):
        raise _problem("zone", "expected an IANA time zone like Europe/Berlin or UTC")
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise _problem("zone", f"{value!r} is not a known time zone (use IANA names like America/New_York)") from None
    return value


def _openings(value: object) -> tuple[Opening, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise _problem("hours", 'expected openings like ["08:00-12:00", "13:00-18:00"] (quote them)')
    try:
        return tuple(parse_opening(item) for item in items)
    except ValueError as exc:
        raise _problem("hours", str(exc)) from None


def _mention(value: object) -> str:
    if value == ON_CALL:
        return ON_CALL
    if not isinstance(value, str):
        raise _problem("mention", "expected platform:user:ID, platform:group:ID or on-call")
    try:
        return str(check_mention(value))
    except ValueError as exc:
        raise _problem("mention", str(exc)) from None


def post_address(value: object) -> str:
    """A configured address to post notices to, in its canonical form; refused naming why."""
    if not isinstance(value, str):
        raise _problem("address", "expected an address like console, slack:C0123ABC or discord:123456789")
    try:
        address = check_address(value)
    except ValueError as exc:
        raise _problem("address", str(exc)) from None
    if (address.workspace or address.thread) and not address.channel:  # e.g. "slack:T1//1.2": nowhere to post
        raise _problem("address", f"{value!r} is not an address to post to: it names no channel")
    return str(address)


def _many(value: object) -> object:
    return [value] if isinstance(value, str) else value


Duration = Annotated[timedelta | None, BeforeValidator(_duration)]
Share = Annotated[float, BeforeValidator(_share)]
Zone = Annotated[str, BeforeValidator(_zone)]
_Zone = Zone
_Openings = Annotated[tuple[Opening, ...], BeforeValidator(_openings)]
_Mentions = Annotated[list[Annotated[str, BeforeValidator(_mention)]], BeforeValidator(_many)]
_Address = Annotated[str, BeforeValidator(post_address)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, arbitrary_types_allowed=True)


class CalendarModel(_Strict):
    """``calendars.<name>``: a zone, openings per weekday and holidays."""

    zone: _Zone = "UTC"
    hours: dict[str, _Openings] = Field(min_length=1)
    holidays: list[date] = []

    def build(self, name: str) -> BusinessCalendar:
        """The core calendar."""
        week = {WEEKDAYS.index(day): openings for day, openings in self.hours.items()}
        return BusinessCalendar(name, self.zone, week, frozenset(self.holidays))


class LevelModel(_Strict):
    """One ``escalation.chain`` entry."""

    name: str = Field(min_length=1)
    target: _Address | None = None  # default: the tier's escalation target
    mention: _Mentions = []
    wait: Duration = timedelta(hours=1)
    engineering: bool = False  # reaching this level opens the ticket's engineering issue (docs/routing.md)


class SlaDefaults(_Strict):
    """The file-wide ``sla`` section."""

    warning_share: Share = 0.75
    critical_reminder: Duration = timedelta(minutes=30)
    stale_after: Duration = None


class ShiftModel(_Strict):
    """One ``on_call.shifts`` entry."""

    name: str = Field(min_length=1)
    hours: str
    mention: _Mentions = Field(min_length=1)


class OnCallModel(_Strict):
    """The ``on_call`` section: follow-the-sun shifts in one zone."""

    zone: _Zone = "UTC"
    shifts: list[ShiftModel] = []


def calendar_problems(calendars: dict[str, CalendarModel]) -> list[tuple[str, str]]:
    """Weekday names and impossible calendars, as ``(key, problem)`` pairs."""
    problems = []
    for name, model in calendars.items():
        bad = [day for day in model.hours if day not in WEEKDAYS]
        if bad:
            problems.append((f"calendars.{name}.hours.{bad[0]}", f"not a weekday; use {', '.join(WEEKDAYS)}"))
            continue
        try:
            model.build(name)
        except ValueError as exc:
            problems.append((f"calendars.{name}", str(exc)))
    if ALWAYS_OPEN in calendars:
        problems.append(
            (f"calendars.{ALWAYS_OPEN}", f"{ALWAYS_OPEN} is built in (every hour counts); pick another name")
        )
    return problems


def build_calendars(calendars: dict[str, CalendarModel]) -> dict[str, Calendar]:
    """The named calendars, with the built-in 24x7."""
    built: dict[str, Calendar] = {ALWAYS_OPEN: WALL_CLOCK}
    built.update({name: model.build(name) for name, model in calendars.items()})
    return built


def build_on_call(model: OnCallModel) -> tuple[OnCall, list[tuple[str, str]]]:
    """The rotation and any problems with it (a shift that cannot be read, a time of day nobody covers)."""
    shifts, problems = [], []
    for i, shift in enumerate(model.shifts):
        try:
            shifts.append(Shift(shift.name, parse_opening(shift.hours), tuple(shift.mention)))
        except ValueError as exc:
            problems.append((f"on_call.shifts[{i}].hours", str(exc)))
    rotation = OnCall(model.zone, tuple(shifts))
    if not problems and rotation.gaps():
        problems.append(("on_call.shifts", f"no shift covers {', '.join(rotation.gaps())} ({model.zone})"))
    return rotation, problems


def build_tier_sla(
    calendar: Calendar,
    defaults: SlaDefaults,
    share: float | None,
    target: str | None,
    chain: list[LevelModel],
    contact: str,
) -> TierSla:
    """A tier's SLA behaviour; without a chain the tier's escalation target is the one level."""
    levels = tuple(
        EscalationLevel(lv.name, lv.target, tuple(lv.mention), lv.wait or timedelta(hours=1), lv.engineering)
        for lv in chain
    )
    if not levels and target is not None:
        levels = (EscalationLevel(contact, None, (ON_CALL,)),)
    return TierSla(
        calendar=calendar,
        warning_share=share if share is not None else defaults.warning_share,
        chain=levels,
        reminder_every=defaults.critical_reminder,
        stale_after=defaults.stale_after,
    )
