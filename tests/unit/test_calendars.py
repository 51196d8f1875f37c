"""Business-hours arithmetic: expected values worked out by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.sla.calendars import BusinessCalendar, Opening, parse_opening
from core.sla.deadlines import WALL_CLOCK

H = timedelta(hours=1)
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def calendar(
    zone: str = "UTC", days: dict[int, list[str]] | None = None, holidays: tuple[date, ...] = ()
) -> BusinessCalendar:
    """A calendar; by default 08:00-18:00 Monday to Friday."""
    days = days if days is not None else {d: ["08:00-18:00"] for d in range(5)}
    week = {day: tuple(parse_opening(text) for text in spans) for day, spans in days.items()}
    return BusinessCalendar("test", zone, week, frozenset(holidays))


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


# 2026-11-27 is a Friday, 2026-11-30 a Monday.
@pytest.mark.parametrize(
    ("start", "hours", "due"),
    [
        (utc(2026, 11, 27, 16), 2, utc(2026, 11, 27, 18)),  # ends exactly at closing: due then
        (utc(2026, 11, 27, 16), 4, utc(2026, 11, 30, 10)),  # across the weekend
        (utc(2026, 11, 27, 17, 30), 2, utc(2026, 11, 30, 9, 30)),
        (utc(2026, 11, 30, 6), 2, utc(2026, 11, 30, 10)),  # before opening: starts at opening
        (utc(2026, 11, 30, 19), 2, utc(2026, 12, 1, 10)),  # after closing: next morning
        (utc(2026, 11, 28, 12), 2, utc(2026, 11, 30, 10)),  # a closed day (Saturday)
        (utc(2026, 11, 30, 8), 30, utc(2026, 12, 2, 18)),  # three business days
        (utc(2026, 11, 30, 9), 50, utc(2026, 12, 7, 9)),  # a working week and a bit
    ],
)
def test_business_hours_addition(start: datetime, hours: int, due: datetime) -> None:
    assert calendar().add(start, hours * H) == due


def test_elapsed_is_the_inverse_of_add() -> None:
    cal = calendar()
    start = utc(2026, 11, 27, 16)
    for hours in (1, 2, 3, 4, 11, 27):
        assert cal.elapsed(start, cal.add(start, hours * H)) == hours * H
    assert cal.elapsed(utc(2026, 11, 28, 0), utc(2026, 11, 29, 23)) == timedelta()


def test_a_lunch_break_is_not_counted() -> None:
    cal = calendar(days={0: ["09:00-12:00", "13:00-17:00"]})
    assert cal.add(utc(2026, 11, 30, 11), 2 * H) == utc(2026, 11, 30, 14)
    assert cal.add(utc(2026, 11, 30, 12, 30), H) == utc(2026, 11, 30, 14)
    assert cal.elapsed(utc(2026, 11, 30, 9), utc(2026, 11, 30, 17)) == 7 * H


def test_different_hours_per_day() -> None:
    cal = calendar(days={3: ["08:00-18:00"], 4: ["08:00-12:00"]})  # Thursday long, Friday short
    assert cal.add(utc(2026, 11, 26, 16), 6 * H) == utc(2026, 11, 27, 12)  # Thu 2h + Fri 4h: Friday's closing
    assert cal.add(utc(2026, 11, 26, 16), 7 * H) == utc(2026, 12, 3, 9)  # one more hour: next Thursday
    assert cal.add(utc(2026, 11, 26, 16), 5 * H) == utc(2026, 11, 27, 11)


def test_a_holiday_is_skipped() -> None:
    cal = calendar(holidays=(date(2026, 12, 25),))  # a Friday
    assert cal.add(utc(2026, 12, 24, 17), 2 * H) == utc(2026, 12, 28, 9)


def test_a_non_utc_zone_counts_local_hours() -> None:
    cal = calendar("America/New_York")
    # Monday 07:00 in New York (12:00 UTC) is before opening; 2 hours after 08:00 local is 10:00 local.
    start = datetime(2026, 11, 30, 7, tzinfo=NEW_YORK)
    assert cal.add(start, 2 * H) == datetime(2026, 11, 30, 10, tzinfo=NEW_YORK)
    assert cal.add(start, 2 * H).astimezone(UTC) == utc(2026, 11, 30, 15)


def test_daylight_saving_change_in_the_calendars_zone() -> None:
    # Berlin: 2026-03-29 02:00 → 03:00 (Sunday). Business hours stay 08:00-18:00 local, so Friday's
    # closing is 17:00 UTC and Monday's opening 06:00 UTC.
    cal = calendar("Europe/Berlin")
    start = datetime(2026, 3, 27, 17, tzinfo=BERLIN)
    due = cal.add(start, 2 * H)
    assert due == datetime(2026, 3, 30, 9, tzinfo=BERLIN)
    assert due.astimezone(UTC) == utc(2026, 3, 30, 7)


def test_a_24x7_calendar_in_a_zone_counts_real_hours_over_the_change() -> None:
    # Open all day every day in Berlin: the night the clocks go forward has only 23 real hours.
    cal = calendar("Europe/Berlin", days={d: ["00:00-24:00"] for d in range(7)})
    start = datetime(2026, 3, 28, 12, tzinfo=BERLIN)
    assert cal.add(start, 24 * H).astimezone(UTC) == start.astimezone(UTC) + 24 * H
    assert cal.elapsed(datetime(2026, 3, 29, tzinfo=BERLIN), datetime(2026, 3, 30, tzinfo=BERLIN)) == 23 * H


def test_a_zero_duration_is_the_next_open_moment() -> None:
    assert calendar().add(utc(2026, 11, 28, 12), timedelta()) == utc(2026, 11, 30, 8)


def test_the_wall_clock_counts_everything() -> None:
    start = utc(2026, 11, 27, 16)
    assert WALL_CLOCK.add(start, 2 * H) == utc(2026, 11, 27, 18)
    assert WALL_CLOCK.elapsed(start, utc(2026, 11, 30, 16)) == 72 * H


def test_bad_calendars_are_refused() -> None:
    with pytest.raises(ValueError, match="never open"):
        calendar(days={})
    with pytest.raises(ValueError, match="overlap"):
        calendar(days={0: ["08:00-12:00", "11:00-13:00"]})
    with pytest.raises(ValueError, match="ends before"):
        Opening(*[parse_opening("10:00-11:00").end, parse_opening("10:00-11:00").start])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="not an opening"):
        parse_opening("8 to 6")
    every_day_a_holiday = calendar(
        days={0: ["08:00-09:00"]}, holidays=tuple(date(2026, 1, 5) + timedelta(weeks=w) for w in range(80))
    )
    with pytest.raises(ValueError, match="no opening"):
        every_day_a_holiday.add(utc(2026, 1, 1), H)
