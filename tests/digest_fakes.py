"""The ``DigestRuns`` port in memory, over the state the outbox fake reads."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

from tests.store_state import MemoryPort
from tests.unit.test_sla_events import TINY_PNG

if TYPE_CHECKING:
    from datetime import datetime

    from core.analytics.records import ReportQuery
    from core.messages import Outbound

BREACH = {"ticket": 7, "tier": "gold", "priority": "high", "clock": "first_response", "late_seconds": 5400.0}


class InMemoryDigestRuns(MemoryPort):
    """Claims kept in the shared state, so two workers on one state see each other's, as on one database."""

    async def claimed(self, period_key: str) -> bool:
        """Whether some worker already claimed the period."""
        return period_key in self.state.digest_runs

    async def claim(self, period_key: str, owner: str, now: datetime, notices: Sequence[Outbound] = ()) -> bool:
        """Claim the period and queue ``notices`` in the outbox, together; False if it was already claimed."""
        if period_key in self.state.digest_runs:
            return False
        self.state.digest_runs[period_key] = owner
        for notice in notices:
            self.state.enqueue(None, None, notice)
        return True


class FakeNumbers:
    """A week's headline and document as the metrics module gives them, recording which periods were asked."""

    def __init__(self) -> None:
        self.asked: list[ReportQuery] = []

    async def week(self, query: ReportQuery, now: datetime) -> tuple[str, dict[str, Any]]:
        """The same figures every week, with six breaches (only five are shown)."""
        self.asked.append(query)
        doc = {
            "sla": {"breaches": [BREACH] + [{**BREACH, "ticket": n, "late_seconds": 60.0} for n in range(20, 25)]},
            "recommendations": [{"rule": "csat", "actions": ["Read the low-rated comments"]}],
        }
        return "Tickets opened: 12\nCSAT average: 3.5 over 4 response(s)", doc


class FakeCharts:
    """Returns a PNG (a tiny valid one unless given), or fails like a broken renderer."""

    def __init__(self, *, broken: bool = False, png: bytes = TINY_PNG) -> None:
        self.broken, self.png = broken, png

    def digest_png(self, doc: dict[str, Any]) -> bytes:
        """The PNG, or an error."""
        if self.broken:
            raise RuntimeError("vl-convert is missing")
        return self.png


@cache
def drawn_chart() -> bytes:
    """The real digest chart (vl-convert) of a small week, drawn once per session: a PNG of some kilobytes."""
    from bots.reports.charts import digest_png

    timing: dict[str, Any] = {"count": 3, "mean_seconds": 900.0, "p50_seconds": 600.0, "p90_seconds": 1800.0}
    timing["p99_seconds"] = 1800.0
    bounds = (300.0, 900.0, 3600.0, 14400.0, 86400.0, None)
    timing["histogram"] = [{"le_seconds": le, "count": n} for le, n in zip(bounds, (0, 2, 1, 0, 0, 0), strict=True)]
    week = {"volume": {"by_day": {"2026-11-30": 2, "2026-12-01": 1}}, "first_response": timing, "clock": "wall"}
    return digest_png(week)
