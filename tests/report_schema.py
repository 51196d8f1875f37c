"""The shape of the report's JSON document (schema_version 1), checked key by key, for tests of its producers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

TIMING = {"count", "pending", "mean_seconds", "p50_seconds", "p90_seconds", "p99_seconds"}
OUTCOME = {"met", "missed", "pending", "compliance"}
CSATPART = {"responses", "average", "satisfied_share"}
NPS = {"surveys", "responses", "promoters", "passives", "detractors", "score"}
TOP = {
    "schema_version", "period", "filters", "clock", "tickets", "first_response", "next_response", "resolution",
    "sla", "fcr", "fcr_rate", "escalations", "escalation_rate", "reopens", "reopen_rate", "backlog", "volume",
    "self_service", "csat", "nps", "agents", "quality", "recommendations",
}  # fmt: skip


def _keys(where: str, value: Any, expected: set[str], problems: list[str]) -> None:
    if not isinstance(value, Mapping) or set(value) != expected:
        have = set(value) if isinstance(value, Mapping) else type(value).__name__
        problems.append(f"{where}: keys {have} instead of {sorted(expected)}")


def _outcomes(where: str, part: Mapping[str, Any], problems: list[str]) -> None:
    for clock in ("first_response", "resolution"):
        _keys(f"{where}.{clock}", part.get(clock), OUTCOME, problems)


def schema_problems(doc: Mapping[str, Any]) -> list[str]:
    """Every place where ``doc`` leaves the schema of /work/tools/analytics-spec.md; empty when it follows it."""
    problems: list[str] = []
    _keys("document", doc, TOP, problems)
    if problems:
        return problems
    _keys("period", doc["period"], {"start", "end", "timezone"}, problems)
    _keys("filters", doc["filters"], {"tier", "priority", "platform", "intent", "agent", "customer"}, problems)
    _keys("tickets", doc["tickets"], {"opened", "resolved", "reopened", "closed_stale", "open_now"}, problems)
    for key in ("first_response", "next_response", "resolution"):
        _keys(key, doc[key], TIMING | ({"histogram"} if key == "first_response" else set()), problems)
    bins = doc["first_response"].get("histogram", [])
    for i, item in enumerate(bins):
        _keys(f"first_response.histogram[{i}]", item, {"le_seconds", "count"}, problems)
    if sum(int(b.get("count", 0)) for b in bins) != doc["first_response"].get("count"):
        problems.append("first_response.histogram: the bins do not add up to count")
    if not bins or bins[-1].get("le_seconds") is not None:
        problems.append("first_response.histogram: the last bin must have no upper bound (null)")
    sla = doc["sla"]
    _keys("sla", sla, {"first_response", "resolution", "by_tier", "breaches"}, problems)
    _outcomes("sla", sla, problems)
    for tier, part in sla["by_tier"].items():
        _outcomes(f"sla.by_tier.{tier}", part, problems)
        for priority, cell in part["by_priority"].items():
            _outcomes(f"sla.by_tier.{tier}.by_priority.{priority}", cell, problems)
    breach = {"ticket", "tier", "priority", "clock", "due", "met_at", "late_seconds"}
    for i, item in enumerate(sla["breaches"]):
        _keys(f"sla.breaches[{i}]", item, breach, problems)
    backlog = {"open", "unassigned", "waiting_on_customer", "age_p50_seconds", "age_p90_seconds"}
    _keys("backlog", doc["backlog"], backlog, problems)
    _keys("volume", doc["volume"], {"by_platform", "by_intent", "by_hour_of_week", "by_day"}, problems)
    if len(doc["volume"]["by_hour_of_week"]) != 168:
        problems.append("volume.by_hour_of_week: not 168 hours")
    service = {"answers", "helpful", "helpful_rate", "deflected", "deflection_rate", "handed_off", "handoff_rate"}
    _keys("self_service", doc["self_service"], service | {"pending"}, problems)
    csat = {"surveys", "responses", "response_rate", "average", "satisfied", "satisfied_share"}
    _keys("csat", doc["csat"], csat | {"by_tier", "by_agent", "by_day"}, problems)
    for group in ("by_tier", "by_agent", "by_day"):
        for name, part in doc["csat"][group].items():
            _keys(f"csat.{group}.{name}", part, CSATPART, problems)
    _keys("nps", doc["nps"], NPS | {"by_tier"}, problems)
    for tier, part in doc["nps"]["by_tier"].items():
        _keys(f"nps.by_tier.{tier}", part, NPS, problems)
    for i, agent in enumerate(doc["agents"]):
        _keys(f"agents[{i}]", agent, {"agent", "assigned", "resolved", "first_response", "csat"}, problems)
    _keys("quality", doc["quality"], {"reviews", "criteria", "agents"}, problems)
    for i, agent in enumerate(doc["quality"]["agents"]):
        _keys(f"quality.agents[{i}]", agent, {"agent", "reviews", "averages", "overall"}, problems)
    advice = {"rule", "value", "threshold", "count", "message", "actions"}
    for i, item in enumerate(doc["recommendations"]):
        _keys(f"recommendations[{i}]", item, advice, problems)
    return problems
