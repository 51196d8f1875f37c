"""The support lead's numbers: one report of a period, as a JSON document, CSV rows or a few lines for ``/stats``.

The surfaces (``helpline report``, ``/stats``, the digest, the dashboard) only format what is built here.
"""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from core.analytics.cohort import facts_from, log_of
from core.analytics.policy import ReportPolicy as ReportPolicy
from core.analytics.ports import TicketLogSource
from core.analytics.quality import quality_figures
from core.analytics.report import Report as Report
from core.analytics.report import assemble, fact_context
from core.analytics.report import compute_report as compute_report
from core.wording import span

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from core.analytics.cohort import TicketFacts
    from core.analytics.ports import ReportSource
    from core.analytics.records import ReportQuery, TicketLog
    from core.reviews.ports import Reviews
    from core.satisfaction.ports import Surveys
    from core.tiers import TierDirectory

SCHEMA_VERSION = 1
TICKET_COLUMNS = (
    "ticket", "tier", "priority", "platform", "intent", "customer", "agent", "created_at", "status",
    "first_response_seconds", "resolution_seconds", "sla_first_response", "sla_resolution",
    "reopened", "escalated", "first_contact",
)  # fmt: skip


class ReportStores(Protocol):
    """The store ports a report reads (``Stores`` has them all)."""

    @property
    def reports(self) -> ReportSource:
        """The read model of tickets and answers."""
        ...

    @property
    def surveys(self) -> Surveys:
        """The satisfaction surveys."""
        ...

    @property
    def reviews(self) -> Reviews:
        """The QA reviews (the per-agent quality scores)."""
        ...


async def build_report(
    stores: ReportStores,
    tiers: TierDirectory,
    query: ReportQuery,
    policy: ReportPolicy,
    now: datetime,
    *,
    business_hours: bool = False,
) -> Report:
    """The report of ``query``'s period, reading tickets in batches and keeping only per-ticket facts."""
    ctx = fact_context(tiers, query, now, business_hours)
    # The answers and surveys are read meanwhile: the database works on them while the tickets are folded.
    answers = asyncio.create_task(stores.reports.answers(query))
    surveys = asyncio.create_task(stores.surveys.sent_between(query.start, query.end))
    reviews = asyncio.create_task(stores.reviews.since(query.start))
    try:
        facts: list[TicketFacts] = []
        async for batch in _logs(stores.reports, query):
            facts.extend(found for log in batch if (found := facts_from(log, ctx)) is not None)
        report = assemble(facts, await answers, await surveys, ctx, policy)
        return dataclasses.replace(report, quality=quality_figures(await reviews, query))
    finally:
        for task in (answers, surveys, reviews):
            task.cancel()


async def _logs(source: ReportSource, query: ReportQuery) -> AsyncIterator[list[TicketLog]]:
    """The period's tickets as light logs: straight from a source that has them, else from its histories."""
    if isinstance(source, TicketLogSource):
        async for batch in source.ticket_logs(query):
            yield batch
        return
    async for histories in source.histories(query):
        yield [log_of(history) for history in histories]


def _iso(moment: datetime) -> str:
    return moment.isoformat()


def report_dict(report: Report) -> dict[str, Any]:
    """The JSON document (schema_version 1): rates are fractions 0–1, a figure with nothing to measure is null."""
    q = report.query
    return {
        "schema_version": SCHEMA_VERSION,
        "period": {"start": _iso(q.start), "end": _iso(q.end), "timezone": "UTC"},
        "filters": {
            "tier": q.tier,
            "priority": q.priority.value if q.priority is not None else None,
            "platform": q.platform,
            "intent": ",".join(sorted(q.intents)) if q.intents is not None else None,
            "agent": q.agent,
            "customer": q.customer,
        },
        "clock": "business" if report.business_hours else "wall",
        "tickets": {
            "opened": report.tickets.opened,
            "resolved": report.tickets.resolved,
            "reopened": report.tickets.reopened,
            "closed_stale": report.tickets.closed_stale,
            "open_now": report.tickets.open_now,
        },
        "first_response": report.first_response.as_dict(),
        "next_response": report.next_response.as_dict(),
        "resolution": report.resolution.as_dict(),
        "sla": report.sla.as_dict(),
        "fcr": {"tickets": report.fcr.tickets, "first_contact": report.fcr.hits},
        "fcr_rate": report.fcr.rate,
        "escalations": {"tickets": report.escalations.tickets, "escalated": report.escalations.hits},
        "escalation_rate": report.escalations.rate,
        "reopens": {"tickets": report.reopens.tickets, "reopened": report.reopens.hits},
        "reopen_rate": report.reopens.rate,
        "backlog": {
            "open": report.backlog.open,
            "unassigned": report.backlog.unassigned,
            "waiting_on_customer": report.backlog.waiting_on_customer,
            "age_p50_seconds": report.backlog.age_p50_seconds,
            "age_p90_seconds": report.backlog.age_p90_seconds,
        },
        "volume": report.volume,
        "self_service": report.self_service.as_dict(),
        "csat": report.csat.as_dict(),
        "nps": report.nps.as_dict(),
        "agents": [
            {
                "agent": a.agent,
                "assigned": a.assigned,
                "resolved": a.resolved,
                "first_response": {"count": a.first_response.count, "p50_seconds": a.first_response.p50_seconds},
                "csat": {"responses": a.csat_responses, "average": a.csat_average},
            }
            for a in report.agents
        ],
        "quality": report.quality.as_dict(),
        "recommendations": [r.as_dict() for r in report.recommendations],
    }


def ticket_rows(report: Report) -> list[dict[str, object]]:
    """One row per ticket opened in the period (keys: ``TICKET_COLUMNS``), for CSV; unknown values are None."""
    rows: list[dict[str, object]] = []
    for fact in report.cohort:
        outcomes = {j.clock: j.outcome for j in fact.sla}
        values = (
            fact.number, fact.tier, fact.priority, fact.platform, fact.intent, fact.customer, fact.agent,
            _iso(fact.created_at), fact.status, fact.first_response, fact.resolution,
            outcomes.get("first_response"), outcomes.get("resolution"), fact.reopened, fact.escalated,
            fact.first_contact,
        )  # fmt: skip
        rows.append(dict(zip(TICKET_COLUMNS, values, strict=True)))
    return rows


def _seconds(value: float) -> str:
    return span(timedelta(seconds=value))


def headline_text(report: Report) -> str:
    """The few lines ``/stats`` shows: every number with its count, and plainly when there is nothing to measure."""
    t, first, csat, service = report.tickets, report.first_response, report.csat, report.self_service
    q = report.query
    lines = [
        f"{q.start:%Y-%m-%d} to {q.end:%Y-%m-%d} (UTC): {t.opened} ticket(s) opened, {t.resolved} resolved, "
        f"{t.open_now} open now"
    ]
    if first.p50_seconds is not None:
        lines.append(f"First response (median): {_seconds(first.p50_seconds)} over {first.count} ticket(s)")
    else:
        lines.append("First response (median): no first responses to measure")
    pairs = (("first response", report.sla.overall.first_response), ("resolution", report.sla.overall.resolution))
    judged = [(name, o) for name, o in pairs if o.compliance is not None]
    if judged:
        parts = [f"{name} {o.compliance:.0%} ({o.met} met, {o.missed} missed)" for name, o in judged]
        lines.append("SLA compliance: " + "; ".join(parts))
    else:
        lines.append("SLA compliance: no promises judged yet")
    if csat.overall.average is not None:
        lines.append(f"CSAT: {csat.overall.average:.2f} average from {csat.responses} response(s)")
    else:
        lines.append("CSAT: no ratings yet")
    if service.deflection_rate is not None:
        lines.append(
            f"Self-service deflection: {service.deflection_rate:.0%} ({service.deflected} of {service.judged} answers)"
        )
    else:
        lines.append("Self-service deflection: no answers to judge yet")
    for advice in report.recommendations:
        lines.append(f"Recommendation: {advice.message} Try: {'; '.join(advice.actions)}.")
    return "\n".join(lines)
