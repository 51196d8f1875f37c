"""The report's figures on hand-built histories; each expected value is worked out in the comments."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import pytest

from core.analytics.metrics import ReportPolicy, build_report, compute_report, headline_text, report_dict, ticket_rows
from core.analytics.records import AnswerRecord, ReportQuery, TicketHistory
from core.analytics.timing import nearest_rank
from core.messages import Address
from core.satisfaction.records import Survey, SurveyKind
from core.sla.calendars import BusinessCalendar, parse_opening
from core.sla.deadlines import Targets
from core.sla.plan import TierSla
from core.tickets.records import Priority, Ticket, TicketEvent, TicketStatus
from core.tiers import Tier, TierDirectory
from tests.review_fakes import InMemoryReviews

H = timedelta(hours=1)
OFFICE = BusinessCalendar(
    "office", "UTC", {d: (parse_opening("09:00-17:00"),) for d in range(5)}, frozenset({date(2026, 12, 25)})
)
TIERS = TierDirectory(
    [
        Tier("community", "Community", Targets({}, {}), "best effort", None, "", ("discord",)),
        Tier("ent", "Enterprise", Targets({Priority.HIGH: H}, {Priority.HIGH: 4 * H}), "24x7", None, "", ("slack",)),
        Tier(
            "pro", "Pro", Targets({Priority.HIGH: 4 * H}, {Priority.HIGH: 16 * H}), "office", None, "", ("slack",),
            sla=TierSla(calendar=OFFICE),
        ),
    ]
)  # fmt: skip
START, END = datetime(2026, 11, 30, tzinfo=UTC), datetime(2026, 12, 7, tzinfo=UTC)  # Monday to Monday
POLICY = ReportPolicy()


def at(day: int, hour: float, month: int = 11) -> datetime:
    """A moment in late 2026 (November by default), UTC."""
    return datetime(2026, month, day, tzinfo=UTC) + timedelta(hours=hour)


def history(number: int, steps: list[tuple[datetime, str]], tier: str = "ent", **kw: object) -> TicketHistory:
    """A ticket opened at the first step, with an event of each kind at each moment."""
    opened = steps[0][0]
    ticket = Ticket(
        number, "acme", tier, Address("slack", "T1", "C1", str(number)), "u1", "Ana", "help", kw.get("intent"),  # type: ignore[arg-type]
        Priority.HIGH, TicketStatus.OPEN, kw.get("assignee"), opened, opened, None, None, None, None,  # type: ignore[arg-type]
    )  # fmt: skip
    detail = {"opened": "priority high, tier " + tier}
    events = tuple(TicketEvent(number, when, "slack:agent", kind, detail.get(kind, "")) for when, kind in steps)
    return TicketHistory(ticket, events)


def report(histories: list[TicketHistory], start: datetime = START, end: datetime = END, **kw: object) -> dict:  # type: ignore[type-arg]
    query = ReportQuery(start, end, **kw)  # type: ignore[arg-type]
    return report_dict(compute_report(histories, [], [], TIERS, query, POLICY, end))


def test_nearest_rank_percentiles_of_a_known_set() -> None:
    ordered = [15.0, 20.0, 35.0, 40.0, 50.0]
    # ranks: p30 → ceil(1.5)=2 → 20; p50 → ceil(2.5)=3 → 35; p90 → ceil(4.5)=5 → 50; p100 → 50
    assert [nearest_rank(ordered, p) for p in (30, 50, 90, 100)] == [20.0, 35.0, 50.0, 50.0]
    assert nearest_rank([], 50) is None


def test_business_hours_first_response_skips_the_weekend_and_the_holiday() -> None:
    # Opened Thu 24 Dec 16:00, replied Mon 28 Dec 10:00. Office hours Mon–Fri 09–17, 25 Dec a holiday:
    # Thu 16–17 (1 h) + Fri holiday (0) + weekend (0) + Mon 09–10 (1 h) = 7200 s; wall time 3 d 18 h = 324000 s.
    t = history(1, [(at(24, 16, 12), "opened"), (at(28, 10, 12), "replied")], tier="pro")
    start, end = at(21, 0, 12), at(31, 0, 12)
    wall = report([t], start, end)
    business = report_dict(
        compute_report([t], [], [], TIERS, ReportQuery(start, end), POLICY, end, business_hours=True)
    )
    assert (wall["clock"], wall["first_response"]["p50_seconds"]) == ("wall", 324000.0)
    assert (business["clock"], business["first_response"]["p50_seconds"]) == ("business", 7200.0)


def test_sla_compliance_does_not_count_time_waiting_on_the_customer() -> None:
    # Ticket 1 (24x7, first response 1 h, resolution 4 h): opened 10:00, replied 10:30 (met; now waiting),
    # the customer wrote at 14:00 (resumed), resolved 15:00: resolution counted 0.5 h + 1 h = 1.5 h → met.
    # Ticket 2: opened 10:00, never answered; at the end (7 Dec) both its clocks ran out → missed.
    first = history(1, [(at(30, 10), "opened"), (at(30, 10.5), "replied"), (at(30, 14), "customer_message"),
                        (at(30, 15), "resolved")])  # fmt: skip
    second = history(2, [(at(30, 10), "opened")])
    doc = report([first, second])
    assert doc["sla"]["first_response"] == {"met": 1, "missed": 1, "pending": 0, "compliance": 0.5}
    assert doc["sla"]["resolution"] == {"met": 1, "missed": 1, "pending": 0, "compliance": 0.5}
    # Breaches, most late first: the first response due 11:00 (late until 7 Dec 00:00 = 6 d 13 h),
    # then the resolution due 14:00 (6 d 10 h).
    breaches = [(b["ticket"], b["clock"], b["late_seconds"]) for b in doc["sla"]["breaches"]]
    assert breaches == [(2, "first_response", (6 * 24 + 13) * 3600.0), (2, "resolution", (6 * 24 + 10) * 3600.0)]
    assert doc["sla"]["by_tier"]["ent"]["by_priority"]["high"]["first_response"]["missed"] == 1
    assert doc["recommendations"][0]["rule"] == "sla_compliance" and doc["recommendations"][0]["count"] == 2


def test_first_contact_resolution_and_reopens() -> None:
    day = 30
    one = history(1, [(at(day, 9), "opened"), (at(day, 10), "replied"), (at(day, 11), "resolved")])
    two = history(2, [(at(day, 9), "opened"), (at(day, 10), "replied"), (at(day, 11), "customer_message"),
                      (at(day, 12), "replied"), (at(day, 13), "resolved")])  # fmt: skip
    back = history(3, [(at(day, 9), "opened"), (at(day, 10), "replied"), (at(day, 11), "resolved"),
                       (at(day, 12), "reopened"), (at(day, 13), "replied"), (at(day, 14), "resolved")])  # fmt: skip
    stale = history(4, [(at(day, 9), "opened"), (at(day, 10), "replied"), (at(1, 10, 12), "closed")])
    doc = report([one, two, back, stale])
    # Resolved at the end: 1, 2, 3 (4 was closed as stale). Only 1 had exactly one reply and no reopening.
    assert doc["fcr"] == {"tickets": 3, "first_contact": 1} and doc["fcr_rate"] == 1 / 3
    assert doc["reopens"] == {"tickets": 3, "reopened": 1}
    assert doc["tickets"] == {"opened": 4, "resolved": 3, "reopened": 1, "closed_stale": 1, "open_now": 0}
    # Ticket 2's follow-up at 11:00 was answered at 12:00: one next response of 3600 s.
    assert (doc["next_response"]["count"], doc["next_response"]["p50_seconds"]) == (1, 3600.0)
    # Resolution: 2 h, 4 h, 5 h (ticket 3 to its last resolution); the stale close is not measured.
    assert doc["resolution"]["count"] == 3 and doc["resolution"]["p50_seconds"] == 4 * 3600.0
    rows = {row["ticket"]: row for row in ticket_rows(compute_report([one, stale], [], [], TIERS,
            ReportQuery(START, END), POLICY, END))}  # fmt: skip
    assert (rows[1]["first_contact"], rows[4]["status"], rows[4]["first_contact"]) == (True, "closed", None)


def test_first_response_starts_at_the_hand_off_when_the_bot_answered_first() -> None:
    # Opened with a bot answer at 10:00; the customer wrote again at 12:00 and a person replied at 12:30: 1800 s.
    handed = history(1, [(at(30, 10), "opened"), (at(30, 10), "bot_answered"), (at(30, 12), "customer_message"),
                         (at(30, 12.5), "replied")])  # fmt: skip
    waiting = history(2, [(at(30, 10), "opened"), (at(30, 10), "bot_answered")])  # no hand-off, still open
    settled = history(3, [(at(30, 10), "opened"), (at(30, 10), "bot_answered"), (at(30, 11), "resolved")])
    doc = report([handed, waiting, settled])
    assert doc["first_response"]["count"] == 1 and doc["first_response"]["p50_seconds"] == 1800.0
    assert doc["first_response"]["pending"] == 1  # only the open one; the resolved one is not measured at all


def _survey(number: int, kind: SurveyKind, score: int | None, tier: str = "ent", changed: bool = False) -> Survey:
    sent = at(30, 9) + number * H
    return Survey(
        number, kind, number, "slack", f"u{number}", Address("slack", "T1", "C1"), tier, "slack:bo", sent,
        score=score, answered_at=sent + H if score is not None else None,
        updated_at=sent + 2 * H if changed else None,
    )  # fmt: skip


def test_csat_counts_a_changed_rating_once_and_nps_scores_promoters_minus_detractors() -> None:
    # CSAT: a rating changed to 2 (stored once, with its latest score), a 4 and no answer:
    # 3 surveys, 2 responses, average 3.0, satisfied 1 (the 4), share 0.5.
    surveys = [_survey(1, SurveyKind.CSAT, 2, changed=True), _survey(2, SurveyKind.CSAT, 4),
               _survey(3, SurveyKind.CSAT, None)]  # fmt: skip
    # NPS: 10, 9, 9 promoters, 8 passive, 3 detractor: 100 · (3 − 1) / 5 = 40.0.
    surveys += [_survey(10 + i, SurveyKind.NPS, s) for i, s in enumerate((10, 9, 9, 8, 3))]
    doc = report_dict(compute_report([], [], surveys, TIERS, ReportQuery(START, END), POLICY, END))
    csat = doc["csat"]
    assert (csat["surveys"], csat["responses"], csat["average"], csat["satisfied"]) == (3, 2, 3.0, 1)
    assert (csat["response_rate"], csat["satisfied_share"]) == (2 / 3, 0.5)
    assert csat["by_agent"]["slack:bo"] == {"responses": 2, "average": 3.0, "satisfied_share": 0.5}
    assert (doc["nps"]["promoters"], doc["nps"]["detractors"], doc["nps"]["score"]) == (3, 1, 40.0)
    assert [r["rule"] for r in doc["recommendations"]] == ["csat"]  # 3.0 is below 4.0
    assert doc["agents"] == [
        {"agent": "slack:bo", "assigned": 0, "resolved": 0, "first_response": {"count": 0, "p50_seconds": None},
         "csat": {"responses": 2, "average": 3.0}}
    ]  # fmt: skip


def test_an_empty_period_is_all_nulls_never_zero_rates() -> None:
    built = compute_report([], [], [], TIERS, ReportQuery(START, END), POLICY, END)
    doc = json.loads(json.dumps(report_dict(built)))
    assert doc["first_response"]["p50_seconds"] is None and doc["first_response"]["mean_seconds"] is None
    assert doc["sla"]["first_response"]["compliance"] is None and doc["fcr_rate"] is None
    assert doc["csat"]["average"] is None and doc["nps"]["score"] is None
    assert doc["self_service"]["deflection_rate"] is None and doc["backlog"]["age_p50_seconds"] is None
    assert doc["recommendations"] == [] and doc["schema_version"] == 1
    text = headline_text(built)
    assert "no first responses to measure" in text and "no ratings yet" in text and "Recommendation" not in text


def test_figures_above_their_thresholds_recommend_nothing() -> None:
    good = history(1, [(at(30, 9), "opened"), (at(30, 9.5), "replied"), (at(30, 10), "resolved")])
    doc = report([good])
    assert doc["sla"]["first_response"]["compliance"] == 1.0 and doc["fcr_rate"] == 1.0
    assert doc["recommendations"] == []


def test_filters_narrow_the_cohort_and_self_service_keeps_only_the_platform_filter() -> None:
    tickets = [history(1, [(at(30, 9), "opened")], tier="ent", intent="billing"),
               history(2, [(at(30, 9), "opened")], tier="pro"), history(3, [(at(29, 9), "opened")])]  # fmt: skip
    doc = report(tickets, tier="ent")
    # Ticket 3 opened before the period: not in the cohort, but still open at the end.
    assert (doc["tickets"]["opened"], doc["tickets"]["open_now"], doc["filters"]["tier"]) == (1, 2, "ent")
    assert doc["volume"]["by_intent"] == {"billing": 1} and doc["volume"]["by_hour_of_week"][9] == 1
    answers = [
        AnswerRecord(Address("slack", "T1", "C1", "a"), at(30, 9), "k1", "u", None, False, None),  # held 24 h
        AnswerRecord(Address("slack", "T1", "C1", "b"), at(30, 9), "k2", "u", None, False, at(30, 10)),  # a ticket
        AnswerRecord(Address("slack", "T1", "C1", "c"), at(6, 12, 12), "k3", "u", None, False, None),  # window open
        AnswerRecord(Address("discord", "G", "C", "d"), at(30, 9), "k4", "u", None, True, None),  # helpful
    ]
    query = ReportQuery(START, END, tier="ent")
    service = report_dict(compute_report([], answers, [], TIERS, query, POLICY, END))["self_service"]
    assert (service["answers"], service["deflected"], service["handed_off"], service["pending"]) == (4, 2, 1, 1)
    assert service["deflection_rate"] == 2 / 3
    only_slack = compute_report([], answers, [], TIERS, ReportQuery(START, END, platform="slack"), POLICY, END)
    assert report_dict(only_slack)["self_service"]["answers"] == 3


class _Source:
    """A read model handing out histories in batches, as the SQL one does."""

    def __init__(self, histories: list[TicketHistory]) -> None:
        self.items = histories

    async def histories(self, query: ReportQuery, *, batch: int = 1000) -> AsyncIterator[list[TicketHistory]]:
        for first in range(0, len(self.items), 2):  # batches of two, whatever is asked, to cross a boundary
            yield self.items[first : first + 2]

    async def answers(self, query: ReportQuery) -> list[AnswerRecord]:
        return []


class _Surveys:
    async def sent_between(self, start: datetime, end: datetime) -> list[Survey]:
        return [_survey(1, SurveyKind.CSAT, 5)]


@dataclass(frozen=True)
class _Stores:
    reports: _Source
    surveys: _Surveys
    reviews: InMemoryReviews = field(default_factory=InMemoryReviews)


@pytest.mark.asyncio
async def test_build_report_reads_every_batch_and_the_surveys() -> None:
    tickets = [history(n, [(at(30, 9), "opened"), (at(30, 10), "replied")]) for n in range(1, 6)]
    built = await build_report(_Stores(_Source(tickets), _Surveys()), TIERS, ReportQuery(START, END), POLICY, END)  # type: ignore[arg-type]
    # Five tickets over three batches, each answered after an hour; one CSAT rating of 5.
    assert (built.tickets.opened, built.first_response.count, built.first_response.p50_seconds) == (5, 5, 3600.0)
    assert (built.csat.responses, built.csat.overall.average) == (1, 5.0)
