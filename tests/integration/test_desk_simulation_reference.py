"""The desk, driven through a simulated stretch, and the brute-force reference agree on what it can see directly."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.analytics.records import ReportQuery
from core.stores import Stores
from tests.analytics_reference import reference_report
from tests.desk_fakes import START, make_harness
from tests.simulation_month import month_histories, simulate


@pytest.mark.slow
@pytest.mark.asyncio
async def test_the_reference_counts_what_the_desk_did(store: Stores) -> None:
    harness = make_harness(tier="enterprise", store=store)
    await simulate(harness, 120, days=7)
    histories = await month_histories(harness)
    end = harness.clock.now() + timedelta(seconds=1)
    doc = reference_report(histories, harness.tiers, ReportQuery(START, end))
    active = [h for h in histories if h.ticket.status.active]
    assert doc["tickets"]["opened"] == len(histories) > 50
    assert doc["tickets"]["open_now"] == len(active)
    resolved_now = [h for h in histories if h.ticket.status.value == "resolved"]  # not reopened or stale-closed ones
    assert doc["resolution"]["count"] == len(resolved_now) > 0
    # A GitHub issue the docs answered is timed from the hand-off, so only a reply after it counts; elsewhere
    # every ticket with a first response is measured.
    bot = {h.ticket.number for h in histories if any(e.kind == "bot_answered" for e in h.events)}
    plain = [h for h in histories if h.ticket.number not in bot]
    answered = sum(h.ticket.first_response_at is not None for h in plain)
    assert doc["first_response"]["count"] >= answered > 0
