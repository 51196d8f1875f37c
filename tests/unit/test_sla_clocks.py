"""SLA clocks derived from events: the cases helpdesks test, with expected values worked out by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.sla.clocks import ClockEvent, ClockName, ClockTargets, Happening, SlaState, sla_state
from core.sla.deadlines import WALL_CLOCK, Calendar
from core.sla.plan import ActionKind, EscalationLevel, TierSla, plan
from core.tickets.records import Priority
from tests.unit.test_calendars import calendar

H = timedelta(hours=1)
M = timedelta(minutes=1)
T0 = datetime(2026, 11, 30, 9, tzinfo=UTC)  # a Monday, inside 08:00-18:00
TARGETS = ClockTargets(first_response=2 * H, next_response=H, resolution=8 * H)


def ev(minutes: float, what: Happening, priority: Priority | None = None) -> ClockEvent:
    return ClockEvent(T0 + minutes * M, what, priority)


def state(
    events: list[ClockEvent], at_minutes: float, targets: ClockTargets = TARGETS, cal: Calendar = WALL_CLOCK
) -> SlaState:
    return sla_state(events, targets, cal, T0 + at_minutes * M)


def test_first_response_on_time() -> None:
    s = state([ev(0, Happening.OPENED), ev(30, Happening.AGENT_REPLY)], 60)
    first = s.clock(ClockName.FIRST_RESPONSE)
    assert first is not None and first.status == "met" and first.met_at == T0 + 30 * M
    assert first.spent == 30 * M and first.due is None


def test_first_response_late() -> None:
    s = state([ev(0, Happening.OPENED), ev(150, Happening.AGENT_REPLY)], 200)
    first = s.clock(ClockName.FIRST_RESPONSE)
    assert first is not None and first.status == "late" and first.breach_at == T0 + 2 * H
    assert first.warn_at == T0 + 90 * M


def test_unanswered_first_response_is_due_at_the_target() -> None:
    s = state([ev(0, Happening.OPENED)], 10)
    first = s.clock(ClockName.FIRST_RESPONSE)
    assert first is not None and first.due == T0 + 2 * H and first.status == "running"
    assert state([ev(0, Happening.OPENED)], 121).clock(ClockName.FIRST_RESPONSE).status == "breached"  # type: ignore[union-attr]


def test_a_customer_reply_restarts_the_next_response_clock_and_an_agent_reply_clears_it() -> None:
    events = [ev(0, Happening.OPENED), ev(10, Happening.AGENT_REPLY), ev(40, Happening.CUSTOMER)]
    answer = state(events, 50).clock(ClockName.NEXT_RESPONSE)
    assert answer is not None and answer.instance == 1 and answer.due == T0 + 100 * M
    events += [ev(70, Happening.AGENT_REPLY)]
    answer = state(events, 80).clock(ClockName.NEXT_RESPONSE)
    assert answer is not None and answer.status == "met" and answer.due is None
    events += [ev(90, Happening.CUSTOMER), ev(95, Happening.CUSTOMER)]  # a second message keeps the first start
    answer = state(events, 100).clock(ClockName.NEXT_RESPONSE)
    assert answer is not None and answer.instance == 2 and answer.due == T0 + 150 * M


def test_no_next_response_clock_before_the_first_human_reply() -> None:
    s = state([ev(0, Happening.OPENED), ev(5, Happening.CUSTOMER)], 10)
    assert s.clock(ClockName.NEXT_RESPONSE) is None


def test_waiting_on_the_customer_pauses_resolution_and_pushes_the_deadline_out() -> None:
    events = [ev(0, Happening.OPENED), ev(60, Happening.AGENT_REPLY), ev(180, Happening.CUSTOMER)]
    resolution = state(events, 200).clock(ClockName.RESOLUTION)
    assert resolution is not None
    assert resolution.pauses == ((T0 + H, T0 + 3 * H),)
    assert resolution.spent == 20 * M + H  # 09:00-10:00 and 12:00-12:20
    assert resolution.due == T0 + 10 * H  # 8 h target + 2 h paused


def test_pending_time_pushes_a_business_hours_deadline_into_the_next_day() -> None:
    cal = calendar()  # 08:00-18:00 Monday to Friday, UTC
    events = [ev(0, Happening.OPENED), ev(60, Happening.AGENT_REPLY), ev(300, Happening.CUSTOMER)]
    resolution = state(events, 301, cal=cal).clock(ClockName.RESOLUTION)
    # 1 h counted before the pause (09-10), resumed at 14:00: 7 h left = 14-18 then 08-11 Tuesday.
    assert resolution is not None and resolution.due == datetime(2026, 12, 1, 11, tzinfo=UTC)


def test_resolved_stops_the_clocks_and_reopened_resumes_them() -> None:
    events = [ev(0, Happening.OPENED), ev(60, Happening.RESOLVED)]
    s = state(events, 600)
    assert s.status == "resolved" and all(not c.running for c in s.clocks)
    resolution = s.clock(ClockName.RESOLUTION)
    assert resolution is not None and resolution.status == "met" and resolution.spent == H
    events += [ev(600, Happening.REOPENED)]
    s = state(events, 601)
    resolution, first = s.clock(ClockName.RESOLUTION), s.clock(ClockName.FIRST_RESPONSE)
    assert resolution is not None and resolution.due == T0 + 17 * H  # 7 h left from 19:00
    assert first is not None and first.due == T0 + 11 * H  # still unanswered: 1 h of 2 h left


def test_resolving_on_time_and_late_clears_the_escalation_chain() -> None:
    sla = TierSla(chain=(EscalationLevel("L1", "console", wait=H), EscalationLevel("L2", "console")))
    opened = [ev(0, Happening.OPENED)]
    due = plan(state(opened, 1), sla, set(), T0)
    assert [(a.action, a.clock, a.level, a.due) for a in due if a.clock == "resolution"] == [
        (ActionKind.WARNING, "resolution", 0, T0 + 6 * H),
        (ActionKind.ESCALATION, "resolution", 1, T0 + 8 * H),
        (ActionKind.ESCALATION, "resolution", 2, T0 + 9 * H),
    ]
    for minutes in (30, 8 * 60 + 30):  # on time, then late (between level 1 and level 2)
        resolved = [*opened, ev(minutes, Happening.RESOLVED)]
        assert plan(state(resolved, minutes), sla, set(), T0 + minutes * M) == []


def test_a_priority_change_recomputes_from_the_history() -> None:
    events = [ev(0, Happening.OPENED, Priority.HIGH), ev(30, Happening.PRIORITY, Priority.CRITICAL)]
    critical = ClockTargets(first_response=H, next_response=H, resolution=4 * H)
    first = state(events, 31, critical).clock(ClockName.FIRST_RESPONSE)
    assert first is not None and first.due == T0 + H  # from when it opened, not from the change


def test_an_acknowledgement_stops_the_chain_but_a_later_breach_starts_a_new_one() -> None:
    sla = TierSla(chain=(EscalationLevel("L1", "console", wait=H), EscalationLevel("L2", "console")))
    events = [ev(0, Happening.OPENED), ev(125, Happening.ACKNOWLEDGED)]
    due = plan(state(events, 126), sla, set(), T0 + 126 * M)
    assert [(a.clock, a.level) for a in due if a.action is ActionKind.ESCALATION] == [
        ("resolution", 1),
        ("resolution", 2),
    ]


def test_critical_reminders_every_interval_on_24x7_only() -> None:
    sla = TierSla(reminder_every=30 * M)
    events = [ev(0, Happening.OPENED, Priority.CRITICAL)]
    [reminder] = [a for a in plan(state(events, 1), sla, set(), T0 + M) if a.action is ActionKind.REMINDER]
    assert (reminder.instance, reminder.due) == (1, T0 + 30 * M)
    fired = {reminder.key}
    [again] = [a for a in plan(state(events, 31), sla, fired, T0 + 31 * M) if a.action is ActionKind.REMINDER]
    assert (again.instance, again.due) == (2, T0 + 60 * M)
    business = TierSla(calendar=calendar(), reminder_every=30 * M)
    assert not [a for a in plan(state(events, 1), business, set(), T0) if a.action is ActionKind.REMINDER]


def test_stale_waiting_reminds_then_closes() -> None:
    sla = TierSla(stale_after=timedelta(days=3))
    events = [ev(0, Happening.OPENED), ev(10, Happening.AGENT_REPLY)]
    stale = [a for a in plan(state(events, 11), sla, set(), T0) if a.clock == ""]
    replied = T0 + 10 * M
    assert [(a.action, a.due) for a in stale] == [
        (ActionKind.STALE_REMINDER, replied + timedelta(days=3)),
        (ActionKind.STALE_CLOSE, replied + timedelta(days=6)),
    ]
    events += [ev(20, Happening.CUSTOMER)]
    assert not [a for a in plan(state(events, 21), sla, set(), T0) if a.clock == ""]
