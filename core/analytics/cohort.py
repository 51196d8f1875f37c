"""One ticket's history folded into the few facts the report counts, so a period never keeps its events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.analytics.outcomes import Judgement, judgements
from core.analytics.records import ReportQuery, TicketHistory
from core.analytics.timing import seconds_between
from core.sla.deadlines import WALL_CLOCK, Calendar
from core.sla.planner import TierPlanner
from core.tickets.records import Ticket, TicketEvent
from core.tiers import TierDirectory

BOT_ANSWERED = "bot_answered"  # a ticket opened together with a knowledge-base answer (a GitHub issue)
HANDOFF_KINDS = frozenset({"customer_message", "answer_not_helpful"})
STATUS_KINDS = frozenset({"opened", "reopened", "resolved", "closed"})
ACTIVE, RESOLVED, CLOSED = "active", "resolved", "closed"


@dataclass(frozen=True)
class FactContext:
    """What folding a ticket needs: the period and filters, the tiers, the planner and which clock to count in."""

    query: ReportQuery
    tiers: TierDirectory
    planner: TierPlanner
    now: datetime
    business_hours: bool = False

    def calendar(self, ticket: Ticket) -> Calendar:
        """The wall clock, or with business hours the calendar the SLA engine counts this ticket's time in."""
        if not self.business_hours:
            return WALL_CLOCK
        try:
            tier = self.tiers.get(ticket.tier)
        except KeyError:
            return WALL_CLOCK
        return self.tiers.calendar_for(tier, ticket.customer)


@dataclass(frozen=True)
class TicketFacts:
    """What the report counts about one ticket, judged at the end of the period."""

    number: int
    tier: str
    priority: str
    platform: str
    intent: str | None
    customer: str
    created_at: datetime
    in_cohort: bool
    agent: str | None  # credited: the assignee at resolution for resolved tickets, else the current one
    status: str  # active, resolved or closed at the end
    waiting: bool
    unassigned: bool
    resolved_in_period: bool
    reopened_in_period: bool
    closed_in_period: bool
    first_response: float | None
    first_response_pending: bool
    next_responses: tuple[float, ...]
    next_pending: int
    resolution: float | None
    resolution_pending: bool
    sla: tuple[Judgement, ...]
    ever_resolved: bool  # a resolved event before the end
    reopened: bool  # a reopened event before the end
    escalated: bool
    first_contact: bool | None  # None unless resolved at the end


def matches(ticket: Ticket, query: ReportQuery) -> bool:
    """True if the ticket passes every filter of ``query`` (its current tier, priority, assignee, ...)."""
    return (
        (query.tier is None or ticket.tier == query.tier)
        and (query.priority is None or ticket.priority == query.priority)
        and (query.platform is None or ticket.address.platform == query.platform)
        and (query.intents is None or ticket.intent in query.intents)
        and (query.agent is None or ticket.assignee == query.agent)
        and (query.customer is None or ticket.customer == query.customer)
    )


def assignee_after(event: TicketEvent) -> str | None:
    """Who an ``assigned`` ("a → b") or ``claimed`` (by the actor) event leaves the ticket with."""
    if event.kind == "claimed":
        return event.actor
    after = event.detail.rpartition("→")[2].strip()
    return None if after in ("", "nobody") else after


def _status_walk(events: list[TicketEvent]) -> tuple[str, int | None]:
    """The status the events leave at the end, and the index of the last ``resolved`` event."""
    status, last_resolved = ACTIVE, None
    for index, event in enumerate(events):
        if event.kind in ("opened", "reopened"):
            status = ACTIVE
        elif event.kind == "resolved":
            status, last_resolved = RESOLVED, index
        elif event.kind == "closed":
            status = CLOSED
    return status, last_resolved


def _first_response(events: list[TicketEvent]) -> tuple[datetime | None, datetime | None, bool]:
    """Start, stop and whether the bot answered first (so the start is the hand-off, if any)."""
    start: datetime | None = None
    bot, replied = False, False
    for event in events:
        if event.kind == "opened" and start is None and not bot:
            start = event.at
        elif event.kind == BOT_ANSWERED and not replied and not bot:
            bot, start = True, None
        elif bot and start is None and event.kind in HANDOFF_KINDS:
            start = event.at
        elif event.kind == "replied":
            replied = True
            if start is not None:
                return start, event.at, bot
    return start, None, bot


def _next_responses(events: list[TicketEvent], calendar: Calendar) -> tuple[tuple[float, ...], int]:
    """Each follow-up after a reply, up to the next reply: measured intervals, and one still waiting (or not)."""
    found: list[float] = []
    replied, active, since = False, True, None
    for event in events:
        if event.kind == "replied":
            if since is not None:
                found.append(seconds_between(since, event.at, calendar))
            replied, since = True, None
        elif event.kind == "customer_message" and replied and active and since is None:
            since = event.at
        elif event.kind in ("resolved", "closed"):
            active, since = False, None  # a follow-up the resolution overtook is neither measured nor pending
        elif event.kind == "reopened":
            active = True
    return tuple(found), 1 if since is not None else 0


def _holder(agent: str | None, event: TicketEvent) -> str | None:
    """Who holds the ticket after ``event``: an assignment or claim moves it; a reply takes an unassigned one."""
    if event.kind in ("assigned", "claimed"):
        return assignee_after(event)
    if event.kind == "replied" and agent is None:
        return event.actor  # the desk makes the first person to reply the assignee
    return agent


def _credited(ticket: Ticket, events: list[TicketEvent], status: str, last_resolved: int | None) -> str | None:
    if status != RESOLVED or last_resolved is None:
        return ticket.assignee
    agent = None
    for event in events[:last_resolved]:
        agent = _holder(agent, event)
    return agent


_TO_WAITING = frozenset({"waiting", "replied"})
_FROM_WAITING = frozenset({"resumed", "customer_message", "reopened"})


def _backlog_flags(ticket: Ticket, events: list[TicketEvent], ctx: FactContext) -> tuple[bool, bool]:
    """Waiting on the customer and unassigned at the end (as stored now when the end is not in the past)."""
    if ctx.query.end >= ctx.now:
        return ticket.status.value == "waiting_on_customer", ticket.assignee is None
    waiting, assignee = False, None
    for event in events:  # a human's reply is what puts a ticket to waiting; the customer's word resumes it
        if event.kind in _TO_WAITING or event.kind in _FROM_WAITING:
            waiting = event.kind in _TO_WAITING
        assignee = _holder(assignee, event)
    return waiting, assignee is None


def facts_of(history: TicketHistory, ctx: FactContext) -> TicketFacts | None:
    """The ticket's facts at the end of the period; None if it does not match the filters or opened later."""
    ticket, query = history.ticket, ctx.query
    if ticket.created_at >= query.end or not matches(ticket, query):
        return None
    events = sorted((e for e in history.events if e.at < query.end), key=lambda e: e.at)
    status, last_resolved = _status_walk(events)
    calendar = ctx.calendar(ticket)
    start, stop, bot = _first_response(events)
    first = seconds_between(start, stop, calendar) if start is not None and stop is not None else None
    # Bot answered and no hand-off yet: not measured, but still owed a first response while active.
    first_pending = stop is None and (start is not None or (bot and status == ACTIVE))
    opened = next((e.at for e in events if e.kind == "opened"), None)
    resolution = None
    if status == RESOLVED and opened is not None and last_resolved is not None:
        resolution = seconds_between(opened, events[last_resolved].at, calendar)
    in_period = {e.kind for e in events if e.at >= query.start}
    kinds = {e.kind for e in events}
    replies_first = _replies_before_first_resolution(events)
    waiting, unassigned = _backlog_flags(ticket, events, ctx)
    next_found, next_pending = _next_responses(events, calendar)
    return TicketFacts(
        number=ticket.number,
        tier=ticket.tier,
        priority=ticket.priority.value,
        platform=ticket.address.platform,
        intent=ticket.intent,
        customer=ticket.customer,
        created_at=ticket.created_at,
        in_cohort=ticket.created_at >= query.start,
        agent=_credited(ticket, events, status, last_resolved),
        status=status,
        waiting=waiting,
        unassigned=unassigned,
        resolved_in_period="resolved" in in_period,
        reopened_in_period="reopened" in in_period,
        closed_in_period="closed" in in_period,
        first_response=first,
        first_response_pending=first_pending,
        next_responses=next_found,
        next_pending=next_pending,
        resolution=resolution,
        resolution_pending=status == ACTIVE,
        sla=judgements(ctx.planner, ticket, events, query.end),
        ever_resolved="resolved" in kinds,
        reopened="reopened" in kinds,
        escalated="escalated" in kinds or any(e.level >= 1 and e.at < query.end for e in history.escalations),
        first_contact=(replies_first == 1 and "reopened" not in kinds) if status == RESOLVED else None,
    )


def _replies_before_first_resolution(events: list[TicketEvent]) -> int:
    count = 0
    for event in events:
        if event.kind == "resolved":
            break
        count += event.kind == "replied"
    return count
