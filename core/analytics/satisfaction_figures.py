"""CSAT and NPS figures from the surveys sent in a period, each with the count it stands on."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from core.analytics.records import ReportQuery
from core.analytics.timing import share
from core.satisfaction.records import Survey, SurveyKind

SATISFIED = frozenset({4, 5})


def in_period(survey: Survey, query: ReportQuery) -> bool:
    """True if the survey was sent in ``[start, end)``."""
    return query.start <= survey.sent_at < query.end


def score_at(survey: Survey, end: datetime) -> int | None:
    """The survey's (latest) score if it was first given before ``end``; a changed rating counts once."""
    if survey.score is None or survey.answered_at is None or survey.answered_at >= end:
        return None
    return survey.score


@dataclass
class CsatPart:
    """CSAT responses of one slice (a tier, an agent, a day)."""

    scores: list[int] = field(default_factory=list)

    @property
    def average(self) -> float | None:
        """The mean score; None without responses."""
        return sum(self.scores) / len(self.scores) if self.scores else None

    @property
    def satisfied(self) -> int:
        """Responses of 4 or 5."""
        return sum(score in SATISFIED for score in self.scores)

    def as_dict(self) -> dict[str, Any]:
        """The CSATPART object of the JSON document."""
        return {
            "responses": len(self.scores),
            "average": self.average,
            "satisfied_share": share(self.satisfied, len(self.scores)),
        }


@dataclass
class CsatFigures:
    """CSAT over the period, by tier, agent and day of sending."""

    surveys: int = 0
    overall: CsatPart = field(default_factory=CsatPart)
    by_tier: dict[str, CsatPart] = field(default_factory=dict)
    by_agent: dict[str, CsatPart] = field(default_factory=dict)
    by_day: dict[str, CsatPart] = field(default_factory=dict)

    @property
    def responses(self) -> int:
        """Surveys answered with a score."""
        return len(self.overall.scores)

    def as_dict(self) -> dict[str, Any]:
        """The ``csat`` object of the JSON document."""
        return {
            "surveys": self.surveys,
            "responses": self.responses,
            "response_rate": share(self.responses, self.surveys),
            "average": self.overall.average,
            "satisfied": self.overall.satisfied,
            "satisfied_share": share(self.overall.satisfied, self.responses),
            "by_tier": {k: v.as_dict() for k, v in sorted(self.by_tier.items())},
            "by_agent": {k: v.as_dict() for k, v in sorted(self.by_agent.items())},
            "by_day": {k: v.as_dict() for k, v in sorted(self.by_day.items())},
        }


def csat_matches(survey: Survey, query: ReportQuery) -> bool:
    """A CSAT survey sent in the period passing the tier, platform and agent filters."""
    return (
        survey.kind is SurveyKind.CSAT
        and in_period(survey, query)
        and (query.tier is None or survey.tier == query.tier)
        and (query.platform is None or survey.platform == query.platform)
        and (query.agent is None or survey.agent == query.agent)
    )


def csat_figures(surveys: Iterable[Survey], query: ReportQuery) -> CsatFigures:
    """CSAT of the surveys sent in the period that match the filters (the agent is the credited one)."""
    figures = CsatFigures()
    for survey in surveys:
        if not csat_matches(survey, query):
            continue
        figures.surveys += 1
        score = score_at(survey, query.end)
        if score is None:
            continue
        parts = [figures.overall, figures.by_tier.setdefault(survey.tier, CsatPart())]
        parts.append(figures.by_day.setdefault(survey.sent_at.date().isoformat(), CsatPart()))
        if survey.agent is not None:
            parts.append(figures.by_agent.setdefault(survey.agent, CsatPart()))
        for part in parts:
            part.scores.append(score)
    return figures


@dataclass
class NpsPart:
    """NPS answers of one slice."""

    surveys: int = 0
    promoters: int = 0
    passives: int = 0
    detractors: int = 0

    @property
    def responses(self) -> int:
        """Surveys answered with a score."""
        return self.promoters + self.passives + self.detractors

    @property
    def score(self) -> float | None:
        """100 · (promoters − detractors) / responses, to one decimal; None without responses."""
        if not self.responses:
            return None
        return round(100 * (self.promoters - self.detractors) / self.responses, 1)

    def add(self, score: int | None) -> None:
        """Count one survey and its answer, if any."""
        self.surveys += 1
        if score is None:
            return
        if score >= 9:
            self.promoters += 1
        elif score >= 7:
            self.passives += 1
        else:
            self.detractors += 1

    def as_dict(self) -> dict[str, Any]:
        """The NPS counts and score."""
        return {
            "surveys": self.surveys,
            "responses": self.responses,
            "promoters": self.promoters,
            "passives": self.passives,
            "detractors": self.detractors,
            "score": self.score,
        }


@dataclass
class NpsFigures:
    """NPS over the period and by tier."""

    overall: NpsPart = field(default_factory=NpsPart)
    by_tier: dict[str, NpsPart] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The ``nps`` object of the JSON document."""
        tiers = {k: v.as_dict() for k, v in sorted(self.by_tier.items())}
        return {**self.overall.as_dict(), "by_tier": tiers}


def nps_figures(surveys: Iterable[Survey], query: ReportQuery) -> NpsFigures:
    """NPS of every NPS survey sent in the period (a person's view of the product, not of one ticket)."""
    figures = NpsFigures()
    for survey in surveys:
        if survey.kind is not SurveyKind.NPS or not in_period(survey, query):
            continue
        score = score_at(survey, query.end)
        figures.overall.add(score)
        figures.by_tier.setdefault(survey.tier, NpsPart()).add(score)
    return figures
