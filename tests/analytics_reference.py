"""A slow, deliberately plain reference for issue 17's report, straight from the raw rows and the spec's Definitions.

Nothing from ``core.analytics`` is used but the records. Business time is counted by walking every minute
and asking the tier's calendar definition (weekday openings in its zone, holidays) whether that minute is
open; 24×7 calendars count everything. SLA outcomes use the engine's own clocks through
``TierPlanner.state`` (the function the planner uses), judged at the period's end.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from core.analytics.records import ReportQuery, TicketHistory
from core.sla.calendars import BusinessCalendar
from core.sla.clocks import Clock, ClockName
from core.sla.deadlines import Calendar
from core.sla.planner import TierPlanner
from core.tickets.records import TicketEvent
from core.tiers import TierDirectory

MINUTE = timedelta(minutes=1)
_ACTIVE = ("opened", "reopened")
_DONE = ("resolved", "closed")


def minute_open(calendar: Calendar, minute: datetime) -> bool:
    """Whether the minute starting at ``minute`` counts, read from the calendar's definition alone."""
    if not isinstance(calendar, BusinessCalendar):
        return True  # 24×7
    local = minute.astimezone(ZoneInfo(calendar.zone))
    if local.date() in calendar.holidays:
        return False
    clock = local.time().replace(tzinfo=None)
    for opening in calendar.week.get(local.weekday(), ()):
        if opening.start <= clock and (opening.end is None or clock < opening.end):
            return True
    return False


def business_seconds(calendar: Calendar, start: datetime, stop: datetime) -> float:
    """Open seconds between ``start`` and ``stop``, one minute at a time (partial minutes at the ends).

    Whole minutes are counted from a table of every minute's answer (``minute_open``), built once per
    calendar and grown as later minutes are asked about, so a month of tickets is walked only once.
    """
    if not isinstance(calendar, BusinessCalendar):
        return (stop - start).total_seconds()
    if stop <= start:
        return 0.0
    head, tail = _floor(start), _floor(stop)
    if head == tail:
        return (stop - start).total_seconds() if minute_open(calendar, head) else 0.0
    total = (head + MINUTE - start).total_seconds() if minute_open(calendar, head) else 0.0
    before_head = _open_before(calendar, head + MINUTE)  # first: it may start the table earlier, never later
    total += 60.0 * (_open_before(calendar, tail) - before_head)
    if minute_open(calendar, tail):
        total += (stop - tail).total_seconds()
    return total


def _floor(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


_TABLES: dict[int, tuple[Calendar, datetime, list[int]]] = {}


def _open_before(calendar: Calendar, minute: datetime) -> int:
    """How many open minutes the calendar has from its table's first minute up to ``minute`` (excluded)."""
    entry = _TABLES.get(id(calendar))
    if entry is None or entry[0] is not calendar or minute < entry[1]:
        entry = (calendar, minute - timedelta(days=2), [0])
        _TABLES[id(calendar)] = entry
    _, base, prefix = entry
    index = int((minute - base) / MINUTE)
    while len(prefix) <= index:
        prefix.append(prefix[-1] + minute_open(calendar, base + (len(prefix) - 1) * MINUTE))
    return prefix[index]


def nearest_rank(values: Sequence[float], p: float) -> float | None:
    """The value at rank ceil(p/100 · n) of the sorted values; None for none."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(1, math.ceil(p / 100 * len(ordered))) - 1]


def timing(values: list[float], pending: int) -> dict[str, Any]:
    """The TIMING object of the JSON document."""
    return {
        "count": len(values),
        "pending": pending,
        "mean_seconds": sum(values) / len(values) if values else None,
        "p50_seconds": nearest_rank(values, 50),
        "p90_seconds": nearest_rank(values, 90),
        "p99_seconds": nearest_rank(values, 99),
    }


# The documented bins of the first-response histogram: up to 5 min, 15 min, 1 h, 4 h, 24 h, and longer.
_BOUNDS = (5 * 60, 15 * 60, 60 * 60, 4 * 3600, 24 * 3600)


def with_histogram(figures: dict[str, Any], values: list[float]) -> dict[str, Any]:
    """``figures`` with the first-response histogram, counted bin by bin from the raw values."""
    lows = (float("-inf"), *_BOUNDS)
    highs = (*_BOUNDS, float("inf"))
    bins = [
        {"le_seconds": None if high == float("inf") else float(high), "count": sum(low < v <= high for v in values)}
        for low, high in zip(lows, highs, strict=True)
    ]
    return {**figures, "histogram": bins}


def _matches(history: TicketHistory, query: ReportQuery) -> bool:
    t = history.ticket
    return (
        (query.tier is None or t.tier == query.tier)
        and (query.priority is None or t.priority == query.priority)
        and (query.platform is None or t.address.platform == query.platform)
        and (query.intents is None or t.intent in query.intents)
        and (query.agent is None or t.assignee == query.agent)
        and (query.customer is None or t.customer == query.customer)
    )


def _before(history: TicketHistory, end: datetime) -> list[TicketEvent]:
    return [e for e in history.events if e.at < end]


def _active_at_end(events: list[TicketEvent]) -> bool:
    status = [e.kind for e in events if e.kind in _ACTIVE + _DONE]
    return bool(status) and status[-1] in _ACTIVE


def _first_response(events: list[TicketEvent]) -> tuple[datetime | None, datetime | None]:
    """(start, stop) of the first-response interval; start None if it is not measured."""
    start: datetime | None = None
    bot = next((i for i, e in enumerate(events) if e.kind == "bot_answered"), None)
    if bot is None:
        start = next((e.at for e in events if e.kind == "opened"), None)
        after = events
    else:
        hand = next((e for e in events[bot:] if e.kind in ("customer_message", "answer_not_helpful")), None)
        start = hand.at if hand else None
        after = events[events.index(hand) :] if hand else []
    if start is None:
        return None, None
    stop = next((e.at for e in after if e.kind == "replied" and e.at >= start), None)
    return start, stop


def _next_responses(events: list[TicketEvent]) -> tuple[list[tuple[datetime, datetime]], int]:
    # While resolved or closed nothing is measured; a reopened ticket's follow-ups are measured again.
    done, pending, replied, waiting_from, settled = [], 0, False, None, False
    for e in events:
        if e.kind in _DONE:
            waiting_from, settled = None, True
        elif e.kind == "reopened":
            settled = False
        elif e.kind == "replied":
            if waiting_from is not None:
                done.append((waiting_from, e.at))
            waiting_from, replied = None, True
        elif e.kind == "customer_message" and replied and not settled and waiting_from is None:
            waiting_from = e.at
    if waiting_from is not None:
        pending += 1
    return done, pending


def _outcome(met: int, missed: int, pending: int) -> dict[str, Any]:
    compliance = met / (met + missed) if met + missed else None
    return {"met": met, "missed": missed, "pending": pending, "compliance": compliance}


def _judge(clock: Clock | None, end: datetime, resolved: bool) -> str | None:
    """met / missed / pending. A resolution clock paused (waiting) when the ticket was resolved keeps no
    ``met_at`` in the engine; a resolved ticket that never crossed its target counts as met."""
    if clock is None:
        return None
    if clock.met_at is None and resolved and clock.name is ClockName.RESOLUTION:
        return "missed" if clock.breach_at is not None and clock.breach_at <= end else "met"
    if clock.met_at is not None:
        return "missed" if clock.breach_at is not None and clock.breach_at < clock.met_at else "met"
    return "missed" if clock.breach_at is not None and clock.breach_at <= end else "pending"


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def reference_report(
    histories: Sequence[TicketHistory],
    tiers: TierDirectory,
    query: ReportQuery,
    *,
    business_hours: bool = False,
    firsts: dict[int, float] | None = None,
) -> dict[str, Any]:
    """The ticket-side sections of the report document for ``query``, recomputed from every raw event.

    ``firsts``, if given, receives each cohort ticket's measured first response (seconds), by number.
    """
    start, end = query.start, query.end
    planner = TierPlanner(tiers)
    matching = [h for h in histories if _matches(h, query) and h.ticket.created_at < end]
    cohort = [h for h in matching if start <= h.ticket.created_at]

    def in_period(h: TicketHistory, kind: str) -> bool:
        return any(e.kind == kind and start <= e.at < end for e in h.events)

    def seconds(h: TicketHistory, a: datetime, b: datetime) -> float:
        if not business_hours:
            return (b - a).total_seconds()
        tier = tiers.get(h.ticket.tier)
        return business_seconds(tiers.calendar_for(tier, h.ticket.customer), a, b)

    first, first_pending, nxt, nxt_pending, resolution, res_pending = [], 0, [], 0, [], 0
    outcomes: dict[str, dict[str, int]] = {c: {"met": 0, "missed": 0, "pending": 0} for c in ("fr", "res")}
    fcr_tickets = fcr_first = escalated = reopen_base = reopen_hit = 0
    by_platform: dict[str, int] = {}
    by_intent: dict[str, int] = {}
    by_hour = [0] * 168
    by_day: dict[str, int] = {}
    for h in cohort:
        events = _before(h, end)
        active = _active_at_end(events)
        a, b = _first_response(events)
        if a is not None and b is not None:
            first.append(seconds(h, a, b))
            if firsts is not None:
                firsts[h.ticket.number] = first[-1]
        elif a is not None or active:  # started and not answered, or a bot ticket still waiting for a hand-off
            first_pending += 1
        pairs, waiting = _next_responses(events)
        nxt += [seconds(h, x, y) for x, y in pairs]
        nxt_pending += waiting
        status = [e for e in events if e.kind in _ACTIVE + _DONE]
        resolved_now = bool(status) and status[-1].kind == "resolved"
        if resolved_now:
            opened = next(e.at for e in events if e.kind == "opened")
            resolution.append(seconds(h, opened, status[-1].at))
        elif active:
            res_pending += 1
        state = planner.state(h.ticket, events, end)
        if state is not None:
            for key, name in (("fr", ClockName.FIRST_RESPONSE), ("res", ClockName.RESOLUTION)):
                verdict = _judge(state.clock(name), end, state.status == "resolved")
                if verdict is not None:
                    outcomes[key][verdict] += 1
        kinds = [e.kind for e in events]
        if resolved_now:
            fcr_tickets += 1
            first_fix = kinds.index("resolved")
            if kinds[:first_fix].count("replied") == 1 and "reopened" not in kinds:
                fcr_first += 1
        if "escalated" in kinds or any(x.level >= 1 and x.at < end for x in h.escalations):
            escalated += 1
        if "resolved" in kinds:
            reopen_base += 1
            reopen_hit += "reopened" in kinds
        created = h.ticket.created_at.astimezone(UTC)
        by_platform[h.ticket.address.platform] = by_platform.get(h.ticket.address.platform, 0) + 1
        intent = h.ticket.intent or "(none)"
        by_intent[intent] = by_intent.get(intent, 0) + 1
        by_hour[created.weekday() * 24 + created.hour] += 1
        by_day[created.date().isoformat()] = by_day.get(created.date().isoformat(), 0) + 1
    open_now = [h for h in matching if _active_at_end(_before(h, end))]
    return {
        "schema_version": 1,
        "period": {"start": start.isoformat(), "end": end.isoformat(), "timezone": "UTC"},
        "clock": "business" if business_hours else "wall",
        "tickets": {
            "opened": len(cohort),
            "resolved": sum(in_period(h, "resolved") for h in matching),
            "reopened": sum(in_period(h, "reopened") for h in matching),
            "closed_stale": sum(in_period(h, "closed") for h in matching),
            "open_now": len(open_now),
        },
        "first_response": with_histogram(timing(first, first_pending), first),
        "next_response": timing(nxt, nxt_pending),
        "resolution": timing(resolution, res_pending),
        "sla": {
            "first_response": _outcome(**outcomes["fr"]),
            "resolution": _outcome(**outcomes["res"]),
        },
        "fcr": {"tickets": fcr_tickets, "first_contact": fcr_first},
        "fcr_rate": _rate(fcr_first, fcr_tickets),
        "escalations": {"tickets": len(cohort), "escalated": escalated},
        "escalation_rate": _rate(escalated, len(cohort)),
        "reopens": {"tickets": reopen_base, "reopened": reopen_hit},
        "reopen_rate": _rate(reopen_hit, reopen_base),
        "volume": {"by_platform": by_platform, "by_intent": by_intent, "by_hour_of_week": by_hour, "by_day": by_day},
    }
