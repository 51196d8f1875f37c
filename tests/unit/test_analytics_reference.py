"""The brute-force report reference, checked on a tiny history whose figures were worked out by hand."""

from __future__ import annotations

from datetime import UTC, datetime

from config.settings import DEFAULT_TIERS_FILE
from config.tiers import load_tiers
from core.analytics.records import ReportQuery, TicketHistory
from core.messages import Address
from core.tickets.records import Priority, Ticket, TicketEvent, TicketStatus
from tests.analytics_reference import business_seconds, reference_report

TIERS = load_tiers(DEFAULT_TIERS_FILE)
START, END = datetime(2026, 11, 23, tzinfo=UTC), datetime(2026, 12, 1, tzinfo=UTC)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    month = 11 if day > 20 else 12
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def history(
    number: int, tier: str, priority: Priority, platform: str, intent: str | None, *log: tuple[datetime, str]
) -> TicketHistory:
    status = TicketStatus.RESOLVED if log[-1][1] == "resolved" else TicketStatus.OPEN
    ticket = Ticket(
        number, "acme", tier, Address(platform, "g", "help", f"t{number}"), "ana", "Ana", "s", intent, priority,
        status, None, log[0][0], log[-1][0], None, None, None, None,
    )  # fmt: skip
    detail = {"opened": f"priority {priority}, tier {tier}"}
    events = tuple(TicketEvent(number, when, "x", kind, detail.get(kind, "")) for when, kind in log)
    return TicketHistory(ticket, events)


HISTORIES = [
    # enterprise (24×7), high: first response 1 h (target 4 h), one follow-up answered in 30 min, resolved after 3 h
    history(1, "enterprise", Priority.HIGH, "discord", "billing",
            (at(23, 9), "opened"), (at(23, 10), "replied"), (at(23, 11), "customer_message"),
            (at(23, 11, 30), "replied"), (at(23, 12), "resolved")),
    # professional (London, Mon-Fri 08-18), high: Friday 17:00 → Monday 09:00 is 64 h of wall time, 2 open hours
    history(2, "professional", Priority.HIGH, "slack", None,
            (at(27, 17), "opened"), (at(30, 9), "replied"), (at(30, 10), "resolved"), (at(30, 11), "reopened")),
    # enterprise, low: the bot answered and the customer never handed off; the engine's 24 h clock still ran out
    history(3, "enterprise", Priority.LOW, "github", "how_to_question",
            (at(24, 8), "opened"), (at(24, 8), "bot_answered"), (at(25, 9), "escalated")),
    # opened after the period: in no figure
    history(4, "enterprise", Priority.HIGH, "discord", None, (at(1, 1), "opened")),
]  # fmt: skip


def test_the_tiny_history_gives_the_hand_counted_wall_clock_figures() -> None:
    doc = reference_report(HISTORIES, TIERS, ReportQuery(START, END))
    assert doc["tickets"] == {"opened": 3, "resolved": 2, "reopened": 1, "closed_stale": 0, "open_now": 2}
    assert doc["first_response"] == {
        "count": 2, "pending": 1, "mean_seconds": 117000.0, "p50_seconds": 3600.0, "p90_seconds": 230400.0,
        "p99_seconds": 230400.0,
        "histogram": [  # an hour is "up to 1 h"; 64 hours is over a day
            {"le_seconds": 300.0, "count": 0}, {"le_seconds": 900.0, "count": 0}, {"le_seconds": 3600.0, "count": 1},
            {"le_seconds": 14400.0, "count": 0}, {"le_seconds": 86400.0, "count": 0}, {"le_seconds": None, "count": 1},
        ],
    }  # fmt: skip
    assert doc["next_response"]["count"] == 1 and doc["next_response"]["p50_seconds"] == 1800.0
    assert doc["resolution"] == {
        "count": 1, "pending": 2, "mean_seconds": 10800.0, "p50_seconds": 10800.0, "p90_seconds": 10800.0,
        "p99_seconds": 10800.0,
    }  # fmt: skip
    assert doc["sla"]["first_response"] == {"met": 2, "missed": 1, "pending": 0, "compliance": 2 / 3}
    assert doc["sla"]["resolution"] == {"met": 1, "missed": 0, "pending": 2, "compliance": 1.0}
    assert (doc["fcr"], doc["fcr_rate"]) == ({"tickets": 1, "first_contact": 0}, 0.0)  # ticket 1 needed two replies
    assert (doc["escalations"]["escalated"], doc["escalation_rate"]) == (1, 1 / 3)
    assert (doc["reopens"], doc["reopen_rate"]) == ({"tickets": 2, "reopened": 1}, 0.5)
    volume = doc["volume"]
    assert volume["by_platform"] == {"discord": 1, "slack": 1, "github": 1}
    assert volume["by_intent"] == {"billing": 1, "(none)": 1, "how_to_question": 1}
    assert [i for i, n in enumerate(volume["by_hour_of_week"]) if n] == [9, 32, 113]  # Mon 9, Tue 8, Fri 17
    assert volume["by_day"] == {"2026-11-23": 1, "2026-11-27": 1, "2026-11-24": 1}


def test_business_hours_count_only_the_open_minutes_of_the_tier() -> None:
    doc = reference_report(HISTORIES, TIERS, ReportQuery(START, END), business_hours=True)
    assert doc["clock"] == "business"
    assert sorted([doc["first_response"]["p50_seconds"], doc["first_response"]["p90_seconds"]]) == [3600.0, 7200.0]


def test_a_tier_filter_keeps_only_that_tiers_tickets() -> None:
    doc = reference_report(HISTORIES, TIERS, ReportQuery(START, END, tier="professional"))
    assert doc["tickets"]["opened"] == 1 and doc["volume"]["by_platform"] == {"slack": 1}


def test_the_minute_walk_skips_nights_weekends_and_holidays() -> None:
    calendar = TIERS.calendar_for(TIERS.get("professional"), "acme")
    assert business_seconds(calendar, at(27, 17, 30), at(30, 8, 15)) == 2700.0  # Fri 30 min + Mon 15 min
    # Thursday 24 Dec 17:00 → Tuesday 29 Dec 09:00: the 25th and 28th are holidays, the weekend is closed
    assert (
        business_seconds(calendar, datetime(2026, 12, 24, 17, tzinfo=UTC), datetime(2026, 12, 29, 9, tzinfo=UTC))
        == 7200.0
    )
