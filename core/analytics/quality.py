"""The report's QA quality figures: each agent's reviews made in the period and their average per criterion."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from core.analytics.records import ReportQuery
from core.reviews.records import AgentQuality, Review
from core.reviews.scoring import agent_quality


@dataclass(frozen=True)
class QualityFigures:
    """The reviews counted, the criteria they scored (in the order first met) and each agent's averages."""

    reviews: int = 0
    criteria: tuple[str, ...] = ()
    agents: tuple[AgentQuality, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """The ``quality`` object of the JSON document."""
        return {
            "reviews": self.reviews,
            "criteria": list(self.criteria),
            "agents": [
                {"agent": a.agent, "reviews": a.reviews, "averages": dict(a.averages), "overall": a.overall}
                for a in self.agents
            ],
        }


def quality_figures(reviews: Iterable[Review], query: ReportQuery) -> QualityFigures:
    """The reviews made in ``[start, end)`` (of ``query.agent``'s tickets when the report is narrowed to one)."""
    kept = [r for r in reviews if query.start <= r.at < query.end and (query.agent is None or r.agent == query.agent)]
    criteria = tuple(dict.fromkeys(name for r in kept for name in r.scores))
    return QualityFigures(len(kept), criteria, tuple(agent_quality(kept, criteria)))
