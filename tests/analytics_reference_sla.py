"""The reference's SLA split (by tier, by tier × priority, the breaches), backlog and per-agent figures.

Like ``tests/analytics_reference``, written from docs/analytics.md's Definitions over the raw ticket logs,
using nothing from ``core.analytics``; SLA clocks come from the engine's ``TierPlanner.state`` at the end.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from core.analytics.records import TicketHistory
from core.sla.clocks import ClockName
from core.sla.planner import TierPlanner
from core.tickets.records import TicketEvent
from core.tiers import TierDirectory
from tests.analytics_reference import _active_at_end, _before, _judge, _outcome, nearest_rank

CLOCKS = (("first_response", ClockName.FIRST_RESPONSE), ("resolution", ClockName.RESOLUTION))


def _blank() -> dict[str, dict[str, int]]:
    return {clock: {"met": 0, "missed": 0, "pending": 0} for clock, _ in CLOCKS}


def _pair(counts: dict[str, dict[str, int]]) -> dict[str, Any]:
    return {clock: _outcome(**counts[clock]) for clock, _ in CLOCKS}


def sla_section(cohort: Sequence[TicketHistory], tiers: TierDirectory, end: datetime) -> dict[str, Any]:
    """``sla``: outcomes overall, by tier and by tier × priority, and the 50 latest breaches."""
    planner = TierPlanner(tiers)
    overall = _blank()
    by_tier: dict[str, dict[str, dict[str, int]]] = {}
    cells: dict[tuple[str, str], dict[str, dict[str, int]]] = {}
    breaches: list[dict[str, Any]] = []
    for h in cohort:
        state = planner.state(h.ticket, _before(h, end), end)
        if state is None:
            continue
        tier, priority = h.ticket.tier, h.ticket.priority.value
        for key, name in CLOCKS:
            clock = state.clock(name)
            verdict = _judge(clock, end, state.status == "resolved")
            if clock is None or verdict is None:
                continue
            for counts in (overall, by_tier.setdefault(tier, _blank()), cells.setdefault((tier, priority), _blank())):
                counts[key][verdict] += 1
            if verdict == "missed" and clock.breach_at is not None:
                stop = clock.met_at or end
                breaches.append({
                    "ticket": h.ticket.number, "tier": tier, "priority": priority, "clock": key,
                    "due": clock.breach_at.isoformat(),
                    "met_at": clock.met_at.isoformat() if clock.met_at is not None else None,
                    "late_seconds": (stop - clock.breach_at).total_seconds(),
                })  # fmt: skip
    tiers_part = {
        tier: {
            **_pair(by_tier[tier]),
            "by_priority": {p: _pair(c) for (t, p), c in sorted(cells.items()) if t == tier},
        }
        for tier in sorted(by_tier)
    }
    breaches.sort(key=lambda b: (-b["late_seconds"], b["ticket"], b["clock"]))
    return {**_pair(overall), "by_tier": tiers_part, "breaches": breaches[:50]}


def assignee_after(event: TicketEvent) -> str | None:
    """Whom an ``assigned`` ("a → b") or ``claimed`` event leaves the ticket with."""
    if event.kind == "claimed":
        return event.actor
    after = event.detail.split("→")[-1].strip()
    return None if after in ("", "nobody") else after


def assignee_at(events: Sequence[TicketEvent]) -> str | None:
    """The assignee ``events`` leave: ``assigned``/``claimed`` move the ticket, a person's reply takes it if unheld."""
    who = None
    for event in events:
        if event.kind in ("assigned", "claimed"):
            who = assignee_after(event)
        elif event.kind == "replied" and who is None:
            who = event.actor
    return who


def backlog_section(matching: Sequence[TicketHistory], end: datetime, now: datetime) -> dict[str, Any]:
    """``backlog``: tickets active at the end, unassigned, waiting on the customer, and their ages."""
    active = [h for h in matching if _active_at_end(_before(h, end))]
    unassigned = waiting = 0
    for h in active:
        events = _before(h, end)
        if end >= now:
            unassigned += h.ticket.assignee is None
            waiting += h.ticket.status.value == "waiting_on_customer"
            continue
        unassigned += assignee_at(events) is None
        turns = [e.kind for e in events if e.kind in ("replied", "waiting", "customer_message", "resumed", "reopened")]
        waiting += bool(turns) and turns[-1] in ("replied", "waiting")
    ages = [(end - h.ticket.created_at).total_seconds() for h in active]
    return {
        "open": len(active),
        "unassigned": unassigned,
        "waiting_on_customer": waiting,
        "age_p50_seconds": nearest_rank(ages, 50),
        "age_p90_seconds": nearest_rank(ages, 90),
    }


def credited(h: TicketHistory, end: datetime) -> str | None:
    """The agent a ticket counts for: the assignee at its last resolution if resolved at ``end``, else the current."""
    events = _before(h, end)
    status = [i for i, e in enumerate(events) if e.kind in ("opened", "reopened", "resolved", "closed")]
    if status and events[status[-1]].kind == "resolved":
        return assignee_at(events[: status[-1]])
    return h.ticket.assignee


def agents_section(
    cohort: Sequence[TicketHistory],
    end: datetime,
    first_response: dict[int, float],
    csat_by_agent: dict[str, list[int]],
) -> list[dict[str, Any]]:
    """``agents``: per credited agent, tickets, resolved ones, first-response median and CSAT."""
    mine: dict[str, list[TicketHistory]] = {name: [] for name in csat_by_agent}
    for h in cohort:
        agent = credited(h, end)
        if agent is not None:
            mine.setdefault(agent, []).append(h)
    found = []
    for agent, tickets in sorted(mine.items()):
        firsts = [first_response[h.ticket.number] for h in tickets if h.ticket.number in first_response]
        resolved = 0
        for h in tickets:
            status = [e.kind for e in _before(h, end) if e.kind in ("opened", "reopened", "resolved", "closed")]
            resolved += bool(status) and status[-1] == "resolved"
        scores = csat_by_agent.get(agent, [])
        found.append({
            "agent": agent,
            "assigned": len(tickets),
            "resolved": resolved,
            "first_response": {"count": len(firsts), "p50_seconds": nearest_rank(firsts, 50)},
            "csat": {"responses": len(scores), "average": sum(scores) / len(scores) if scores else None},
        })  # fmt: skip
    return found
