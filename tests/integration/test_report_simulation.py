"""Issue 17's proof: a simulated month through the real desk reports what the brute-force reference recomputes.

The month (in-memory stores) has thousands of tickets of four tiers on three platforms, 31 days of moved
clock, escalations, stale closes, answered questions with votes, and CSAT and NPS answers. Every key of
``report_dict`` is compared with ``tests/analytics_reference_report`` for the whole month, a week, a tier,
a platform and an agent, in wall-clock and business hours. SQLite and PostgreSQL run a shorter stretch of
the same driver.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any

import pytest

from core.analytics.metrics import ReportPolicy, build_report, report_dict
from core.analytics.records import ReportQuery
from core.stores import Stores
from tests.analytics_reference_report import reference_document
from tests.desk_fakes import START, Harness, make_harness
from tests.simulation_month import month_histories, simulate
from tests.simulation_people import Ledger, customers


def _differences(where: str, got: Any, expected: Any) -> list[str]:
    """Where ``got`` leaves ``expected`` (floats equal to 1e-9 relative)."""
    if isinstance(expected, dict) and isinstance(got, dict):
        if set(got) != set(expected):
            return [f"{where}: keys {sorted(set(got) ^ set(expected))} differ"]
        return [d for key in expected for d in _differences(f"{where}.{key}", got[key], expected[key])]
    if isinstance(expected, list) and isinstance(got, list):
        if len(got) != len(expected):
            return [f"{where}: {len(got)} items, the reference {len(expected)}"]
        return [
            d for i, (g, e) in enumerate(zip(got, expected, strict=True)) for d in _differences(f"{where}[{i}]", g, e)
        ]
    if isinstance(expected, float) and isinstance(got, float | int) and not isinstance(got, bool):
        return [] if math.isclose(got, expected, rel_tol=1e-9, abs_tol=1e-9) else [f"{where}: {got} != {expected}"]
    same_type = type(got) is type(expected) or (isinstance(got, str) and isinstance(expected, str))
    return [] if got == expected and same_type else [f"{where}: {got!r} != {expected!r}"]


def _queries(harness: Harness) -> list[ReportQuery]:
    end, agent = harness.clock.now() + timedelta(seconds=1), "discord:lu"  # a moderator, as tickets name them
    return [
        ReportQuery(START, end),  # the whole month
        ReportQuery(START + timedelta(days=8), START + timedelta(days=15)),  # a week inside it
        ReportQuery(START, end, tier="enterprise"),
        ReportQuery(START, end, tier="professional"),
        ReportQuery(START, end, platform="github"),
        ReportQuery(START, end, platform="slack"),
        ReportQuery(START, end, agent=agent),
    ]


async def _compare(harness: Harness, ledger: Ledger, store: Stores) -> list[str]:
    histories = await month_histories(harness)
    now: datetime = harness.clock.now()
    problems: list[str] = []
    for query in _queries(harness):
        for business in (False, True):
            report = await build_report(store, harness.tiers, query, ReportPolicy(), now, business_hours=business)
            got = report_dict(report)
            got["recommendations"] = [
                {k: r[k] for k in ("rule", "value", "threshold", "count")} for r in got["recommendations"]
            ]
            reviews = await store.reviews.since(query.start)
            expected = reference_document(
                histories, ledger, harness.tiers, query, now, business_hours=business, reviews=reviews
            )
            label = f"{query.start:%m-%d}..{query.end:%m-%d} tier={query.tier} platform={query.platform} " + (
                f"agent={query.agent} {'business' if business else 'wall'}"
            )
            problems += [f"{label}: {d}" for d in _differences("report", got, expected)]
    return problems


@pytest.mark.slow
@pytest.mark.asyncio
async def test_a_simulated_month_reports_what_the_reference_recomputes() -> None:
    harness = make_harness(customers=customers())
    ledger = await simulate(harness, 2050, days=31)
    assert len(ledger.tickets) >= 2000 and harness.clock.now() - START >= timedelta(days=30)
    histories = await month_histories(harness)
    kinds = {e.kind for h in histories for e in h.events}
    assert {"escalated", "closed", "reopened", "bot_answered", "rated", "claimed"} <= kinds
    assert {h.ticket.tier for h in histories} == {"community", "professional", "enterprise", "white-glove"}
    assert {s.kind for s in ledger.surveys} == {"csat", "nps"} and ledger.votes
    problems = await _compare(harness, ledger, harness.store)
    assert not problems, "\n".join(problems[:40])


@pytest.mark.slow
@pytest.mark.asyncio
async def test_a_shorter_stretch_reports_the_same_on_every_store(store: Stores) -> None:
    harness = make_harness(customers=customers(), store=store)
    ledger = await simulate(harness, 300, days=10)
    assert len(ledger.tickets) >= 250
    problems = await _compare(harness, ledger, store)
    assert not problems, "\n".join(problems[:40])
