"""The week's numbers the digest posts: the period report's headline and its JSON document."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from core.analytics.metrics import build_report, headline_text, report_dict

if TYPE_CHECKING:
    from core.analytics.policy import ReportPolicy
    from core.analytics.records import ReportQuery
    from core.stores import Stores
    from core.tiers import TierDirectory


class WeekReport:
    """``WeeklyNumbers`` over the stores: the same figures ``helpline report`` gives for the week."""

    def __init__(self, stores: Stores, tiers: TierDirectory, policy: ReportPolicy) -> None:
        self._stores, self._tiers, self._policy = stores, tiers, policy

    async def week(self, query: ReportQuery, now: datetime) -> tuple[str, dict[str, Any]]:
        """The headline lines and the report document of ``query``'s period."""
        report = await build_report(self._stores, self._tiers, query, self._policy, now)
        return headline_text(report), report_dict(report)
