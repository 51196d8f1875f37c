"""The health score's arithmetic on hand-worked cases, its categories' edges, and the trend rule."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from core.customers.health import HealthFigures, category, health
from core.customers.health_history import HealthDay, trend

FULL = HealthFigures(
    days=30,
    licensed_seats=40,
    active_users=30,
    feature_adoption=0.6,
    plan_usage=0.9,
    seats_before=40,
    seats_now=44,
    tickets=8,
    sla_misses=1,
    escalations=2,
    csat_answers=10,
    csat_satisfied=8,
    nps_answers=5,
    nps_promoters=3,
    nps_detractors=1,
    people=4,
    active_people=3,
    messages=12,
)


def test_every_part_is_worked_out_and_weighted_as_the_specification_says() -> None:
    score = health(FULL)
    parts = {p.name: (p.score, p.weight) for p in score.parts}
    # usage: mean of 30/40, 0.6 and 0.9 = 0.75; engagement: 3 of 4 people; support: 100 - 40 x 8/40 - 10 - 2 x 5;
    # satisfaction: mean of CSAT 80 and NPS +40 moved to 70; growth: 40 -> 44 seats is +10 %, 70 + 15.
    assert parts == {
        "usage": (75, 0.30),
        "engagement": (75, 0.25),
        "support": (72, 0.20),
        "satisfaction": (75, 0.15),
        "growth": (85, 0.10),
    }
    # 22.5 + 18.75 + 14.4 + 11.25 + 8.5 = 75.4
    assert (score.score, score.category, score.missing) == (75, "Good", ())
    assert score.reason == "all five parts, at their weights"
    reasons = {p.name: p.reason for p in score.parts}
    assert (
        reasons["support"] == "8 tickets in 30 days (0.20 per seat), 1 SLA misses, 2 escalations, 0 unresolved critical"
    )
    assert reasons["satisfaction"] == "CSAT 8 of 10 satisfied; NPS +40 from 5 answers"
    assert reasons["growth"] == "seats in use 40 → 44 (+10 %)"
    assert reasons["engagement"] == "3 of 4 people active in the last 30 days (12 messages, 8 tickets)"


def test_without_usage_figures_the_score_names_the_missing_parts_and_reweights_the_rest() -> None:
    figures = HealthFigures(days=30, people=4, active_people=2, csat_answers=2, csat_satisfied=1)
    score = health(figures)
    # engagement 50, support 100 (no tickets; 4 people stand in for the unknown seats), satisfaction 50:
    # (0.25 x 50 + 0.20 x 100 + 0.15 x 50) / 0.60 = 66.67
    assert [(p.name, p.score) for p in score.parts] == [
        ("usage", None),
        ("engagement", 50),
        ("support", 100),
        ("satisfaction", 50),
        ("growth", None),
    ]
    assert (score.score, score.category, score.missing) == (67, "At risk", ("usage", "growth"))
    assert score.reason == (
        "no data for usage, growth; the other parts re-weighted: engagement 42%, support 33%, satisfaction 25%"
    )
    assert score.parts[0].reason == "no usage figures reported (POST /api/usage)"


def test_a_troubled_account_is_critical_and_parts_stay_within_0_and_100() -> None:
    figures = HealthFigures(
        days=30,
        licensed_seats=10,
        active_users=2,
        feature_adoption=0.1,
        plan_usage=1.4,  # over the plan counts as full use, not more
        seats_before=40,
        seats_now=20,
        tickets=30,
        sla_misses=4,
        escalations=3,
        unresolved_critical=2,
        nps_answers=4,
        nps_detractors=4,
        people=5,
        active_people=5,
    )
    score = health(figures)
    # usage: mean of 0.2, 0.1 and 1.0 = 0.433 -> 43; engagement 100; support 100 - 40 - 40 - 15 - 30 < 0 -> 0;
    # satisfaction: NPS -100 -> 0; growth: -50 % -> 70 - 75 < 0 -> 0.
    assert [p.score for p in score.parts] == [43, 100, 0, 0, 0]
    # 12.9 + 25 + 0 + 0 + 0 = 37.9
    assert (score.score, score.category) == (38, "Critical")


def test_an_account_with_no_data_at_all_has_no_category_rather_than_a_critical_one() -> None:
    score = health(HealthFigures(days=30))
    assert (score.score, score.category, score.reason) == (0, "No data", "no data for any part")
    assert score.missing == ("usage", "engagement", "support", "satisfaction", "growth")


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        (0, "Critical"),
        (49, "Critical"),
        (50, "At risk"),
        (69, "At risk"),
        (70, "Good"),
        (84, "Good"),
        (85, "Healthy"),
        (100, "Healthy"),
    ],
)
def test_categories_change_exactly_at_their_edges(score: int, expected: str) -> None:
    assert category(score) == expected


def test_halves_round_up_so_84_and_a_half_counts_as_healthy() -> None:
    # usage: mean of 0.84 and 0.85 = 84.5 -> 85; engagement 4 of 5 = 80; support 100 - 40 x 5/20 = 90;
    # (0.30 x 85 + 0.25 x 80 + 0.20 x 90) / 0.75 = 84.67 -> 85, Healthy (not 84, Good).
    figures = HealthFigures(
        days=30, feature_adoption=0.84, plan_usage=0.85, people=5, active_people=4, licensed_seats=20, tickets=5
    )
    score = health(figures)
    assert [p.score for p in score.parts][:3] == [85, 80, 90]
    assert (score.score, score.category) == (85, "Healthy")


def _days(*scores: tuple[int, int]) -> list[HealthDay]:
    start = date(2026, 11, 1)
    at = datetime(2026, 11, 1, tzinfo=UTC)
    return [HealthDay("acme", start + timedelta(days=d), s, category(s), (), at) for d, s in scores]


def test_the_trend_compares_the_latest_score_with_the_newest_one_a_week_older() -> None:
    assert trend(_days((0, 60), (7, 65))) == "improving"  # +5 is the step
    assert trend(_days((0, 60), (7, 56))) == "stable"  # -4
    assert trend(_days((0, 70), (1, 50), (8, 45))) == "declining"  # day 1 (50) is the newest a week before day 8
    assert trend(_days((0, 90), (1, 50), (8, 54))) == "stable"  # not day 0's 90
    assert trend(list(reversed(_days((0, 60), (7, 70))))) == "improving"  # any order


def test_the_trend_is_unknown_without_a_score_a_week_old() -> None:
    assert trend([]) is None
    assert trend(_days((0, 60), (6, 90))) is None
