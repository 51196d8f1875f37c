"""The week's numbers the digest posts: the period report's headline and its JSON document, with the week's
knowledge gaps when a gap report is given."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from core.analytics.metrics import build_report, headline_text, report_dict
from core.knowledge.gaps import gap_dict

if TYPE_CHECKING:
    from core.analytics.policy import ReportPolicy
    from core.analytics.records import ReportQuery
    from core.knowledge.gaps import GapFinder
    from core.stores import Stores
    from core.tiers import TierDirectory


class WeekReport:
    """``WeeklyNumbers`` over the stores: the same figures ``helpline report`` gives for the week."""

    def __init__(
        self, stores: Stores, tiers: TierDirectory, policy: ReportPolicy, gaps: GapFinder | None = None
    ) -> None:
        self._stores, self._tiers, self._policy, self._gaps = stores, tiers, policy, gaps

    async def week(self, query: ReportQuery, now: datetime) -> tuple[str, dict[str, Any]]:
        """The headline lines and the report document of ``query``'s period."""
        report = await build_report(self._stores, self._tiers, query, self._policy, now)
        doc = report_dict(report)
        if self._gaps is not None:  # the week's questions the docs did not answer, heaviest first
            found = await self._gaps.report(query.start, query.end)
            doc["knowledge_gaps"] = [gap_dict(gap) for gap in found.gaps]
        return headline_text(report), doc
