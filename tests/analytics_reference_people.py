"""The reference's self-service, CSAT and NPS figures, from the simulation's ledger and the tickets' logs.

Written from docs/analytics.md's Definitions: each answer the bot gave once, its standing vote, tickets
opened in its thread; each survey by its first sending, its ratings under the change window. Nothing from
``core.analytics`` is used.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from core.analytics.records import ReportQuery, TicketHistory
from core.messages import Address
from tests.analytics_reference import _rate
from tests.analytics_reference_sla import assignee_at
from tests.simulation_people import Ledger, SurveySent, Vote, person_of

CHANGE_WINDOW = timedelta(days=7)  # satisfaction.csat change window, the shipped default


def self_service_section(
    ledger: Ledger, histories: Sequence[TicketHistory], query: ReportQuery, window: timedelta
) -> dict[str, Any]:
    """``self_service``: answers given in the period (platform filter only), helpful, deflected, handed off."""
    counts = {"answers": 0, "helpful": 0, "deflected": 0, "handed_off": 0, "pending": 0}
    opened: dict[Address, list[datetime]] = {}  # when each ticket of a thread was opened
    for h in histories:
        opened.setdefault(h.ticket.address, []).append(h.ticket.created_at)
    given: dict[Address, list[datetime]] = {}  # the answers of each thread, and the votes cast there
    voted: dict[Address, list[Vote]] = {}
    for answer in ledger.answers:
        given.setdefault(answer.address, []).append(answer.at)
    for vote in ledger.votes:
        voted.setdefault(vote.address, []).append(vote)
    for answer in ledger.answers:
        if not query.start <= answer.at < query.end:
            continue
        if query.platform is not None and answer.address.platform != query.platform:
            continue
        upto = min((at for at in given[answer.address] if at > answer.at), default=None)
        votes = [
            v for v in voted.get(answer.address, ())
            if v.at >= answer.at and (upto is None or v.at < upto) and v.at < query.end
        ]  # fmt: skip
        helpful = bool(votes) and votes[-1].helpful
        first = min((at for at in opened.get(answer.address, ()) if at >= answer.at), default=None)
        closes = answer.at + window
        handed = first is not None and first < min(closes, query.end)
        judged = closes <= query.end
        counts["answers"] += 1
        counts["helpful"] += helpful
        counts["handed_off"] += handed
        counts["deflected"] += helpful or (judged and not handed)
        counts["pending"] += not (helpful or judged or handed)
    known = counts["answers"] - counts["pending"]
    return {
        "answers": counts["answers"],
        "helpful": counts["helpful"],
        "helpful_rate": _rate(counts["helpful"], known),
        "deflected": counts["deflected"],
        "deflection_rate": _rate(counts["deflected"], known),
        "handed_off": counts["handed_off"],
        "handoff_rate": _rate(counts["handed_off"], known),
        "pending": counts["pending"],
    }


def first_sendings(ledger: Ledger, kind: str) -> list[SurveySent]:
    """Each survey of ``kind`` once, as first sent (a survey asked again keeps its first sending)."""
    seen: dict[int, SurveySent] = {}
    for sent in ledger.surveys:
        if sent.kind == kind and sent.id not in seen:
            seen[sent.id] = sent
    return list(seen.values())


def score_before(ledger: Ledger, survey: int, end: datetime) -> int | None:
    """The survey's latest kept score (within the change window of the first), if it was first given before ``end``.

    As the csat definition says: a changed rating counts once, with its latest score, even when the change
    came after ``end``; a rating first given at or after ``end`` does not count.
    """
    mine = [r for r in ledger.ratings if r.survey == survey and not r.refused]
    if not mine or mine[0].at >= end:
        return None
    kept = [r for r in mine if r.at <= mine[0].at + CHANGE_WINDOW]
    return kept[-1].score


def _part(scores: list[int]) -> dict[str, Any]:
    return {
        "responses": len(scores),
        "average": sum(scores) / len(scores) if scores else None,
        "satisfied_share": _rate(sum(s >= 4 for s in scores), len(scores)),
    }


def csat_section(
    ledger: Ledger, histories: Sequence[TicketHistory], query: ReportQuery
) -> tuple[dict[str, Any], dict[str, list[int]]]:
    """``csat`` of the surveys sent in the period matching tier, platform and agent; and the scores by agent."""
    tickets = {h.ticket.number: h for h in histories}
    surveys, scores = 0, []
    groups: dict[str, dict[str, list[int]]] = {"by_tier": {}, "by_agent": {}, "by_day": {}}
    for sent in first_sendings(ledger, "csat"):
        if not query.start <= sent.at < query.end or sent.ticket is None:
            continue
        h = tickets[sent.ticket]
        tier = h.ticket.tier
        upto = max(i for i, e in enumerate(h.events) if e.kind == "resolved" and e.at <= sent.at)
        agent = assignee_at(h.events[:upto])  # the assignee when the resolution that asked it was logged
        if query.tier is not None and tier != query.tier:
            continue
        if query.platform is not None and sent.address.platform != query.platform:
            continue
        if query.agent is not None and agent != query.agent:
            continue
        surveys += 1
        score = score_before(ledger, sent.id, query.end)
        if score is None:
            continue
        scores.append(score)
        groups["by_tier"].setdefault(tier, []).append(score)
        groups["by_day"].setdefault(sent.at.date().isoformat(), []).append(score)
        if agent is not None:
            groups["by_agent"].setdefault(agent, []).append(score)
    satisfied = sum(s >= 4 for s in scores)
    doc = {
        "surveys": surveys,
        "responses": len(scores),
        "response_rate": _rate(len(scores), surveys),
        "average": sum(scores) / len(scores) if scores else None,
        "satisfied": satisfied,
        "satisfied_share": _rate(satisfied, len(scores)),
        **{name: {k: _part(v) for k, v in sorted(group.items())} for name, group in groups.items()},
    }
    return doc, groups["by_agent"]


def _nps(scores: list[int | None]) -> dict[str, Any]:
    given = [s for s in scores if s is not None]
    promoters, detractors = sum(s >= 9 for s in given), sum(s <= 6 for s in given)
    return {
        "surveys": len(scores),
        "responses": len(given),
        "promoters": promoters,
        "passives": len(given) - promoters - detractors,
        "detractors": detractors,
        "score": round(100 * (promoters - detractors) / len(given), 1) if given else None,
    }


def nps_section(ledger: Ledger, query: ReportQuery) -> dict[str, Any]:
    """``nps``: every NPS survey sent in the period (no filters), overall and by the person's tier."""
    every: list[int | None] = []
    by_tier: dict[str, list[int | None]] = {}
    for sent in first_sendings(ledger, "nps"):
        if not query.start <= sent.at < query.end:
            continue
        score = score_before(ledger, sent.id, query.end)
        every.append(score)
        by_tier.setdefault(person_of(sent.address.platform, sent.person).tier, []).append(score)
    return {**_nps(every), "by_tier": {tier: _nps(s) for tier, s in sorted(by_tier.items())}}
