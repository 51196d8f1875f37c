"""The report: every figure of a period folded from per-ticket facts, answers and surveys."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from core.analytics.cohort import ACTIVE, RESOLVED, FactContext, TicketFacts, facts_of
from core.analytics.outcomes import SlaFigures
from core.analytics.policy import ReportPolicy
from core.analytics.quality import QualityFigures
from core.analytics.recommendations import Recommendation, recommendations
from core.analytics.records import AnswerRecord, ReportQuery, TicketHistory
from core.analytics.satisfaction_figures import CsatFigures, NpsFigures, csat_figures, nps_figures
from core.analytics.self_service import SelfService, self_service
from core.analytics.timing import FIRST_RESPONSE_BINS, Timing, nearest_rank, share, timing
from core.satisfaction.records import Survey
from core.sla.planner import TierPlanner
from core.tiers import TierDirectory

NO_INTENT = "(none)"


@dataclass(frozen=True)
class Ratio:
    """A count of tickets and how many of them have the property measured."""

    tickets: int
    hits: int

    @property
    def rate(self) -> float | None:
        """hits / tickets; None over no tickets."""
        return share(self.hits, self.tickets)


@dataclass(frozen=True)
class TicketCounts:
    """Tickets opened, resolved, reopened and closed as stale in the period, and open at its end."""

    opened: int
    resolved: int
    reopened: int
    closed_stale: int
    open_now: int


@dataclass(frozen=True)
class Backlog:
    """Tickets active at the end of the period, and how old they are."""

    open: int
    unassigned: int
    waiting_on_customer: int
    age_p50_seconds: float | None
    age_p90_seconds: float | None


@dataclass(frozen=True)
class AgentFigures:
    """One agent's tickets of the cohort and the CSAT responses credited to them."""

    agent: str
    assigned: int
    resolved: int
    first_response: Timing
    csat_responses: int
    csat_average: float | None


@dataclass(frozen=True)
class Report:
    """Every figure of one period, and the cohort's per-ticket facts (for the CSV)."""

    query: ReportQuery
    business_hours: bool
    tickets: TicketCounts
    first_response: Timing
    next_response: Timing
    resolution: Timing
    sla: SlaFigures
    fcr: Ratio
    escalations: Ratio
    reopens: Ratio
    backlog: Backlog
    volume: dict[str, Any]
    self_service: SelfService
    csat: CsatFigures
    nps: NpsFigures
    agents: tuple[AgentFigures, ...]
    recommendations: tuple[Recommendation, ...]
    cohort: tuple[TicketFacts, ...] = field(default=(), repr=False)
    # The QA reviews made in the period, per agent (read beside the tickets by ``build_report``).
    quality: QualityFigures = field(default_factory=QualityFigures)


def fact_context(
    tiers: TierDirectory, query: ReportQuery, now: datetime, business_hours: bool, planner: TierPlanner | None = None
) -> FactContext:
    """What folding tickets for this report needs, with the SLA planner built once."""
    return FactContext(query, tiers, planner or TierPlanner(tiers), now, business_hours)


def compute_report(
    histories: Iterable[TicketHistory],
    answers: Iterable[AnswerRecord],
    surveys: Iterable[Survey],
    tiers: TierDirectory,
    query: ReportQuery,
    policy: ReportPolicy,
    now: datetime,
    *,
    business_hours: bool = False,
) -> Report:
    """The report over plain iterables of histories, answers and surveys (no store needed)."""
    ctx = fact_context(tiers, query, now, business_hours)
    facts = (found for history in histories if (found := facts_of(history, ctx)) is not None)
    return assemble(facts, answers, surveys, ctx, policy)


def assemble(
    facts: Iterable[TicketFacts],
    answers: Iterable[AnswerRecord],
    surveys: Iterable[Survey],
    ctx: FactContext,
    policy: ReportPolicy,
) -> Report:
    """Fold per-ticket facts (of matching tickets opened before the end) with answers and surveys into a report."""
    query = ctx.query
    counts: Counter[str] = Counter()
    cohort: list[TicketFacts] = []
    ages: list[float] = []
    sla = SlaFigures()
    for fact in facts:
        counts["resolved"] += fact.resolved_in_period
        counts["reopened"] += fact.reopened_in_period
        counts["closed_stale"] += fact.closed_in_period
        if fact.status == ACTIVE:
            counts["open"] += 1
            counts["unassigned"] += fact.unassigned
            counts["waiting"] += fact.waiting
            ages.append((query.end - fact.created_at).total_seconds())
        if fact.in_cohort:
            cohort.append(fact)
            sla.add(fact.number, fact.tier, fact.priority, fact.sla, query.end)
    cohort.sort(key=lambda f: f.number)
    ages.sort()
    surveys = list(surveys)
    csat, nps = csat_figures(surveys, query), nps_figures(surveys, query)
    fcr = Ratio(sum(f.first_contact is not None for f in cohort), sum(f.first_contact is True for f in cohort))
    sla_pairs = [
        (sla.overall.first_response.compliance, sla.overall.first_response.met + sla.overall.first_response.missed),
        (sla.overall.resolution.compliance, sla.overall.resolution.met + sla.overall.resolution.missed),
    ]
    advice = recommendations(sla_pairs, (fcr.rate, fcr.tickets), (csat.overall.average, csat.responses), policy)
    return Report(
        query=query,
        business_hours=ctx.business_hours,
        tickets=TicketCounts(
            len(cohort), counts["resolved"], counts["reopened"], counts["closed_stale"], counts["open"]
        ),
        first_response=timing(
            (f.first_response for f in cohort if f.first_response is not None),
            sum(f.first_response_pending for f in cohort),
            bins=FIRST_RESPONSE_BINS,
        ),
        next_response=timing((s for f in cohort for s in f.next_responses), sum(f.next_pending for f in cohort)),
        resolution=timing(
            (f.resolution for f in cohort if f.resolution is not None), sum(f.resolution_pending for f in cohort)
        ),
        sla=sla,
        fcr=fcr,
        escalations=Ratio(len(cohort), sum(f.escalated for f in cohort)),
        reopens=Ratio(sum(f.ever_resolved for f in cohort), sum(f.ever_resolved and f.reopened for f in cohort)),
        backlog=Backlog(
            counts["open"], counts["unassigned"], counts["waiting"], nearest_rank(ages, 50), nearest_rank(ages, 90)
        ),
        volume=_volume(cohort),
        self_service=self_service(answers, query, policy.deflection_window),
        csat=csat,
        nps=nps,
        agents=_agents(cohort, csat),
        recommendations=tuple(advice),
        cohort=tuple(cohort),
    )


def _volume(cohort: list[TicketFacts]) -> dict[str, Any]:
    hours = [0] * 168
    platforms: Counter[str] = Counter()
    intents: Counter[str] = Counter()
    days: Counter[date] = Counter()
    for fact in cohort:
        platforms[fact.platform] += 1
        intents[fact.intent or NO_INTENT] += 1
        hours[fact.created_at.weekday() * 24 + fact.created_at.hour] += 1
        days[fact.created_at.date()] += 1
    return {
        "by_platform": dict(sorted(platforms.items())),
        "by_intent": dict(sorted(intents.items())),
        "by_hour_of_week": hours,
        "by_day": {day.isoformat(): count for day, count in sorted(days.items())},
    }


def _agents(cohort: list[TicketFacts], csat: CsatFigures) -> tuple[AgentFigures, ...]:
    credited: dict[str, list[TicketFacts]] = {name: [] for name in csat.by_agent}
    for fact in cohort:
        if fact.agent is not None:
            credited.setdefault(fact.agent, []).append(fact)
    found = []
    for name, mine in sorted(credited.items()):
        part = csat.by_agent.get(name)
        found.append(
            AgentFigures(
                agent=name,
                assigned=len(mine),
                resolved=sum(f.status == RESOLVED for f in mine),
                first_response=timing(f.first_response for f in mine if f.first_response is not None),
                csat_responses=len(part.scores) if part is not None else 0,
                csat_average=part.average if part is not None else None,
            )
        )
    return tuple(found)
