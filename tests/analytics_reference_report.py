"""The whole report document recomputed by the reference: every key of ``report_dict``, from raw rows.

The ticket side comes from ``tests/analytics_reference``, the SLA split, backlog and agents from
``tests/analytics_reference_sla``, self-service and satisfaction from ``tests/analytics_reference_people``
(over the simulation's ``Ledger``). Recommendations follow docs/analytics.md's rule: shown when the figure
is known and below its threshold (the default thresholds), each with its value, threshold and count.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from core.analytics.records import ReportQuery, TicketHistory
from core.reviews.records import Review
from core.tiers import TierDirectory
from tests.analytics_reference import _matches, reference_report
from tests.analytics_reference_people import csat_section, nps_section, self_service_section
from tests.analytics_reference_sla import agents_section, backlog_section, sla_section
from tests.simulation_people import Ledger

THRESHOLDS = {"sla_compliance": 0.95, "fcr": 0.70, "csat": 4.0}  # docs/analytics.md, Recommendations
DEFLECTION_WINDOW = timedelta(hours=24)  # analytics.deflection_window's default


def _advice(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """(rule, value, threshold, count) of each recommendation the figures call for."""
    found = []
    judged = [
        (part["compliance"], part["met"] + part["missed"])
        for part in (doc["sla"]["first_response"], doc["sla"]["resolution"])
        if part["compliance"] is not None
    ]
    if judged:
        value, count = min(judged, key=lambda pair: pair[0])
        if value < THRESHOLDS["sla_compliance"]:
            found.append({"rule": "sla_compliance", "value": value, "count": count})
    if doc["fcr_rate"] is not None and doc["fcr_rate"] < THRESHOLDS["fcr"]:
        found.append({"rule": "fcr", "value": doc["fcr_rate"], "count": doc["fcr"]["tickets"]})
    average = doc["csat"]["average"]
    if average is not None and average < THRESHOLDS["csat"]:
        found.append({"rule": "csat", "value": average, "count": doc["csat"]["responses"]})
    return [{**item, "threshold": THRESHOLDS[item["rule"]]} for item in found]


def reference_document(
    histories: Sequence[TicketHistory],
    ledger: Ledger,
    tiers: TierDirectory,
    query: ReportQuery,
    now: datetime,
    *,
    business_hours: bool = False,
    reviews: Sequence[Review] = (),
) -> dict[str, Any]:
    """Every figure of the JSON document for ``query``; ``recommendations`` without their wording."""
    firsts: dict[int, float] = {}
    doc = reference_report(histories, tiers, query, business_hours=business_hours, firsts=firsts)
    matching = [h for h in histories if _matches(h, query) and h.ticket.created_at < query.end]
    cohort = [h for h in matching if query.start <= h.ticket.created_at]
    csat, by_agent = csat_section(ledger, histories, query)
    doc.update(
        filters={
            "tier": query.tier,
            "priority": query.priority.value if query.priority is not None else None,
            "platform": query.platform,
            "intent": ",".join(sorted(query.intents)) if query.intents is not None else None,
            "agent": query.agent,
            "customer": query.customer,
        },
        sla=sla_section(cohort, tiers, query.end),
        backlog=backlog_section(matching, query.end, now),
        self_service=self_service_section(ledger, histories, query, DEFLECTION_WINDOW),
        csat=csat,
        nps=nps_section(ledger, query),
        agents=agents_section(cohort, query.end, firsts, by_agent),
        quality=quality_section(reviews, query),
    )
    doc["recommendations"] = _advice(doc)
    return doc


def quality_section(reviews: Sequence[Review], query: ReportQuery) -> dict[str, Any]:
    """The QA reviews made in the period (of the agent's tickets when narrowed), averaged by hand per agent."""
    kept = [r for r in reviews if query.start <= r.at < query.end and query.agent in (None, r.agent)]
    criteria: list[str] = []
    for review in kept:
        criteria += [name for name in review.scores if name not in criteria]
    agents = []
    for agent in sorted({r.agent or "(nobody)" for r in kept}):
        mine = [r for r in kept if (r.agent or "(nobody)") == agent]
        averages = {}
        for name in criteria:
            given = [r.scores[name] for r in mine if name in r.scores]
            if given:
                averages[name] = sum(given) / len(given)
        overall = sum(averages.values()) / len(averages) if averages else 0.0
        agents.append({"agent": agent, "reviews": len(mine), "averages": averages, "overall": overall})
    return {"reviews": len(kept), "criteria": criteria, "agents": agents}
