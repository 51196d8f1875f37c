"""The report's figures (build_report → report_dict) equal the brute-force reference on a simulated stretch.

Written before ``core.analytics.metrics`` landed; not yet run against it (see the simulation helper's report).
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.analytics.metrics import ReportPolicy, build_report, report_dict
from core.analytics.records import ReportQuery
from core.stores import Stores
from tests.analytics_reference import reference_report
from tests.desk_fakes import START, make_harness
from tests.simulation_month import month_histories, simulate


@pytest.mark.slow
@pytest.mark.asyncio
async def test_the_report_equals_the_reference(store: Stores) -> None:
    harness = make_harness(tier="enterprise", store=store)
    await simulate(harness, 150)
    histories = await month_histories(harness)
    now = harness.clock.now()
    queries = [
        ReportQuery(START, now + timedelta(seconds=1)),  # the whole stretch
        ReportQuery(START + timedelta(days=1), START + timedelta(days=8)),  # a week inside it
        ReportQuery(START, now + timedelta(seconds=1), tier="enterprise"),
        ReportQuery(START, now + timedelta(seconds=1), platform="discord"),
    ]
    for query, business_hours in [(q, b) for q in queries for b in (False, True)]:
        report = await build_report(store, harness.tiers, query, ReportPolicy(), now, business_hours=business_hours)
        got = report_dict(report)
        expected = reference_report(histories, harness.tiers, query, business_hours=business_hours)
        for key, value in expected.items():
            if key == "sla":
                for clock in ("first_response", "resolution"):
                    assert got["sla"][clock] == value[clock], (query, key, clock)
            else:
                assert got[key] == value, (query, key)
