"""Call slots from the support calendar and the tier quotas a customer notices."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.calls.quota import check_quota
from core.calls.records import CallPolicy
from core.calls.slots import describe_slots, free_slots, zone_note
from core.sla.calendars import BusinessCalendar, parse_opening

HALF_HOUR = timedelta(minutes=30)


def _calendar(zone: str = "Europe/Berlin", hours: str = "09:00-10:30") -> BusinessCalendar:
    return BusinessCalendar("support", zone, {day: [parse_opening(hours)] for day in range(5)})


def test_slots_fill_business_hours_and_skip_to_the_next_working_day() -> None:
    # Friday 2026-03-06 09:40 Berlin (08:40 UTC): one slot left at 09:45, then Monday.
    slots = free_slots(_calendar(), datetime(2026, 3, 6, 8, 40, tzinfo=UTC), HALF_HOUR, [])
    assert slots == [
        datetime(2026, 3, 6, 8, 45, tzinfo=UTC),
        datetime(2026, 3, 9, 8, 0, tzinfo=UTC),
        datetime(2026, 3, 9, 8, 30, tzinfo=UTC),
    ]


def test_booked_calls_are_not_offered_again() -> None:
    booked = [(datetime(2026, 3, 9, 8, 0, tzinfo=UTC), datetime(2026, 3, 9, 8, 45, tzinfo=UTC))]
    slots = free_slots(_calendar(), datetime(2026, 3, 9, 7, 0, tzinfo=UTC), HALF_HOUR, booked)
    assert slots[0] == datetime(2026, 3, 9, 8, 45, tzinfo=UTC)
    assert all(not (s < b and s + HALF_HOUR > a) for s in slots for a, b in booked)


def test_slots_follow_the_clock_change() -> None:
    # Berlin goes to summer time on Sunday 2026-03-29: 09:00 local is 08:00 UTC before, 07:00 UTC after.
    slots = free_slots(_calendar(), datetime(2026, 3, 27, 9, 45, tzinfo=UTC), HALF_HOUR, [], count=1)
    assert slots == [datetime(2026, 3, 30, 7, 0, tzinfo=UTC)]


def test_slots_shown_in_the_customer_zone_or_the_calendar_zone_said_openly() -> None:
    cal = _calendar()
    slot = [datetime(2026, 3, 9, 8, 0, tzinfo=UTC)]
    assert describe_slots(slot, "America/New_York", cal) == ["Mon 09 Mar 04:00 (America/New_York)"]
    assert describe_slots(slot, None, cal) == ["Mon 09 Mar 09:00 (Europe/Berlin)"]
    assert zone_note(None, cal) == (" Times are the support team's (Europe/Berlin).")
    assert zone_note("America/New_York", cal) == ""


def test_quota_within_and_past_with_the_next_date() -> None:
    pro = CallPolicy(per_month=1)
    now = datetime(2026, 12, 10, tzinfo=UTC)
    assert check_quota(pro, now, [datetime(2026, 11, 20, tzinfo=UTC)]).allowed
    past = check_quota(pro, now, [datetime(2026, 12, 2, tzinfo=UTC)])
    assert not past.allowed
    assert past.next_possible == datetime(2027, 1, 1, tzinfo=UTC)
    assert "01 January 2027" in past.reason


def test_unlimited_and_no_video_tiers() -> None:
    now = datetime(2026, 12, 10, tzinfo=UTC)
    many = [now - timedelta(days=1)] * 20
    assert check_quota(CallPolicy(per_month=None), now, many).allowed
    none = check_quota(CallPolicy(per_month=0, instead="community forum answers"), now, [])
    assert not none.allowed
    assert "community forum answers" in none.reason
