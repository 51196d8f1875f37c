"""A simulated week of tickets: the engine fires exactly what the brute-force reference fires, at the same tick.

Business hours with a lunch break and a short Friday, a holiday, the Europe/Berlin daylight-saving change,
24×7 calendars, every priority, replies, follow-ups, waiting, resolves, reopens, priority changes and
acknowledgements. ``SLA_SIM_TICKETS`` runs more tickets (the benchmark mode documented in docs/sla.md).
"""

from __future__ import annotations

import os
from datetime import date, timedelta

import pytest

from core.clock import ManualClock
from core.messages import Address
from core.sla.calendars import BusinessCalendar, parse_opening
from core.sla.deadlines import WALL_CLOCK, Calendar, Targets
from core.sla.plan import EscalationLevel, TierSla
from core.sla.worker import EscalationWorker
from core.stores import Stores
from core.tickets.records import NewTicket, Priority, TicketChange, TicketEvent, TicketStatus
from core.tiers import Tier, TierDirectory
from tests.desk_fakes import RecordingNotifier
from tests.fakes import memory_stores
from tests.sla_reference import PRIORITIES, Fired, RefCalendar, RefTier, SimTicket, reference, simulate, utc

START = utc(2026, 3, 21)  # a Saturday; Berlin moves its clocks on Sunday 29 March
DAYS = 10
TICK = 5  # minutes between worker passes
HOLIDAY = date(2026, 3, 26)  # a Thursday
WEEKDAY = [("08:00", "12:00"), ("13:00", "17:30")]
SHORT_FRIDAY = [("08:00", "15:00")]
BERLIN_HOURS = {0: WEEKDAY, 1: WEEKDAY, 2: WEEKDAY, 3: WEEKDAY, 4: SHORT_FRIDAY}
CALENDARS: dict[str, tuple[RefCalendar, Calendar]] = {
    "berlin-business": (
        RefCalendar("Europe/Berlin", BERLIN_HOURS, frozenset({HOLIDAY})),
        BusinessCalendar(
            "berlin-business",
            "Europe/Berlin",
            {d: tuple(parse_opening(f"{a}-{b}") for a, b in spans) for d, spans in BERLIN_HOURS.items()},
            frozenset({HOLIDAY}),
        ),
    ),
    "new-york-business": (
        RefCalendar("America/New_York", {d: [("09:00", "17:00")] for d in range(5)}),
        BusinessCalendar(
            "new-york-business", "America/New_York", {d: (parse_opening("09:00-17:00"),) for d in range(5)}
        ),
    ),
    "berlin-always": (
        RefCalendar("Europe/Berlin", {d: [("00:00", "24:00")] for d in range(7)}),
        BusinessCalendar("berlin-always", "Europe/Berlin", {d: (parse_opening("00:00-24:00"),) for d in range(7)}),
    ),
    "24x7": (RefCalendar("UTC", None), WALL_CLOCK),
}
HOURS = {"critical": 2, "high": 4, "medium": 8, "low": 24}
WAITS = [30, 60, 120]  # minutes between chain levels (four levels)


def _tiers() -> tuple[dict[str, RefTier], TierDirectory]:
    refs, tiers = {}, []
    for n, (name, (ref_calendar, calendar)) in enumerate(CALENDARS.items()):
        scale = n + 1  # different targets per tier
        first = {p: HOURS[p] * 60 * scale // 2 for p in PRIORITIES}
        answer = {p: HOURS[p] * 60 * scale // 4 for p in PRIORITIES}
        resolution = {p: HOURS[p] * 60 * scale * 3 for p in PRIORITIES}
        refs[name] = RefTier(name, ref_calendar, first, answer, resolution, 0.75, WAITS)
        levels = tuple(EscalationLevel(f"L{i}", None, (), timedelta(minutes=w)) for i, w in enumerate([*WAITS, 60], 1))
        sla = TierSla(calendar, 0.75, levels, reminder_every=None, stale_after=None)
        targets = Targets(minutes(first), minutes(resolution), minutes(answer))
        tiers.append(Tier(name, name, targets, "sim", "console", "the leads", ("console",), sla=sla))
    return refs, TierDirectory(tiers, default_tier="24x7")


def minutes(targets: dict[str, int]) -> dict[Priority, timedelta | None]:
    """Targets in minutes as the core's per-priority durations."""
    return {Priority(p): timedelta(minutes=m) for p, m in targets.items()}


async def _apply(store: Stores, numbers: dict[int, int], ticket: SimTicket, index: int) -> None:
    event = ticket.events[index]
    if event.kind == "opened":
        draft = NewTicket(
            "c",
            ticket.tier,
            Address("console", channel=f"t{ticket.number}"),
            "u",
            "U",
            "s",
            None,
            Priority(event.priority),
            event.at,
            None,
            None,
        )
        numbers[ticket.number] = (await store.tickets.open_ticket(draft, "sim")).number
        return
    number = numbers[ticket.number]
    current = await store.tickets.get(number)
    assert current is not None
    change, detail = TicketChange(), ""
    if event.kind == "replied":
        change = TicketChange(status=TicketStatus.WAITING)
    elif event.kind == "resolved":
        change = TicketChange(status=TicketStatus.RESOLVED, resolved_at=event.at)
    elif event.kind == "reopened":
        change = TicketChange(status=TicketStatus.OPEN, clear_resolved_at=True)
    elif event.kind == "priority":
        change, detail = TicketChange(priority=Priority(event.priority)), f"{current.priority} → {event.priority}"
    await store.tickets.update(number, change, TicketEvent(number, event.at, "sim", event.kind, detail))


async def _engine(tickets: list[SimTicket], directory: TierDirectory) -> set[Fired]:
    store, clock = memory_stores(), ManualClock(START)
    worker = EscalationWorker(store, directory, RecordingNotifier(), clock, batch=100_000)
    timeline = sorted(((e.at, t.number, i) for t in tickets for i, e in enumerate(t.events)), key=lambda x: x[:2])
    by_number = {t.number: t for t in tickets}
    numbers: dict[int, int] = {}
    end, position = START + timedelta(days=DAYS), 0
    while clock.now() <= end:
        while position < len(timeline) and timeline[position][0] <= clock.now():
            _, number, index = timeline[position]
            await _apply(store, numbers, by_number[number], index)
            position += 1
        await worker.run_once()
        clock.advance(timedelta(minutes=TICK))
    back = {stored: sim for sim, stored in numbers.items()}
    fired: set[Fired] = set()
    for stored, sim in back.items():
        for timer in await store.timers.timers(stored):
            if timer.fired_at is not None:
                fired.add((sim, timer.action.value, timer.clock, timer.instance, timer.level, timer.fired_at))
    return fired


@pytest.mark.asyncio
async def test_a_simulated_week_fires_exactly_what_the_reference_fires() -> None:
    refs, directory = _tiers()
    count = int(os.environ.get("SLA_SIM_TICKETS", "240"))
    tickets = simulate(count, list(CALENDARS), START, DAYS - 1, seed=7)
    expected = reference(tickets, refs, START, START + timedelta(days=DAYS), TICK)
    got = await _engine(tickets, directory)
    assert got - expected == set(), "fired by the engine, not by the reference"
    assert expected - got == set(), "fired by the reference, not by the engine"
    kinds = {(action, level > 1) for _, action, _, _, level, _ in expected}
    assert kinds == {("warning", False), ("escalation", False), ("escalation", True)}  # the week exercised them all
    assert len(expected) > count  # and plenty of them
