"""The week's numbers the digest posts.

STAND-IN until ``core.analytics.metrics`` lands (helper "metrics"): at the merge, ``week`` becomes
``report = await build_report(stores, tiers, query, policy, now)`` and returns
``headline_text(report), report_dict(report)``. Until then it gives today's ``stats`` lines and an
empty document (no breaches, no recommendations), so scheduling and delivery run end to end.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from core.analytics.statistics import stats_text

if TYPE_CHECKING:
    from core.analytics.records import ReportQuery
    from core.stores import Stores
    from core.tiers import TierDirectory


class WeekReport:
    """``WeeklyNumbers`` over the stores (stand-in: see the module's note)."""

    def __init__(self, stores: Stores, tiers: TierDirectory) -> None:
        self._stores, self._tiers = stores, tiers

    async def week(self, query: ReportQuery, now: datetime) -> tuple[str, dict[str, Any]]:
        """The headline lines and the report document of ``query``'s period."""
        text = await stats_text(self._stores.statistics, self._tiers, now)
        doc: dict[str, Any] = {
            "schema_version": 1,
            "period": {"start": query.start.isoformat(), "end": query.end.isoformat(), "timezone": "UTC"},
            "sla": {"breaches": []},
            "recommendations": [],
        }
        return text, doc
