"""One ticket's history folded into the few facts the report counts, so a period never keeps its events."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from operator import attrgetter

from core.analytics.outcomes import Judgement, judged
from core.analytics.records import ReportQuery, TicketHistory, TicketLog
from core.analytics.timing import seconds_between
from core.sla.clocks import ClockTargets, sla_state
from core.sla.deadlines import WALL_CLOCK, Calendar
from core.sla.events import clock_events
from core.sla.planner import TierPlanner, targets_at
from core.tickets.records import Priority, TicketEvent
from core.tiers import TierDirectory

BOT_ANSWERED = "bot_answered"  # a ticket opened together with a knowledge-base answer (a GitHub issue)
HANDOFF_KINDS = frozenset({"customer_message", "answer_not_helpful"})
STATUS_KINDS = frozenset({"opened", "reopened", "resolved", "closed"})
ACTIVE, RESOLVED, CLOSED = "active", "resolved", "closed"
_AT = attrgetter("at")


@dataclass(frozen=True)
class FactContext:
    """What folding a ticket needs: the period and filters, the tiers, the planner and which clock to count in.

    The calendars and SLA targets are looked up once per tier, customer and priority, not once per ticket.
    """

    query: ReportQuery
    tiers: TierDirectory
    planner: TierPlanner
    now: datetime
    business_hours: bool = False
    _calendars: dict[tuple[str, str], Calendar | None] = field(default_factory=dict, compare=False, repr=False)
    _targets: dict[tuple[str, Priority], ClockTargets] = field(default_factory=dict, compare=False, repr=False)

    def sla_calendar(self, tier: str, customer: str) -> Calendar | None:
        """The calendar the SLA engine counts a ticket of ``tier`` and ``customer`` in; None for an unknown tier."""
        key = (tier, customer)
        if key not in self._calendars:
            try:
                found = self.tiers.get(tier)
            except KeyError:
                self._calendars[key] = None
            else:
                self._calendars[key] = self.tiers.calendar_for(found, customer)
        return self._calendars[key]

    def calendar(self, tier: str, customer: str) -> Calendar:
        """The wall clock, or with business hours the calendar the SLA engine counts this ticket's time in."""
        if not self.business_hours:
            return WALL_CLOCK
        found = self.sla_calendar(tier, customer)
        return WALL_CLOCK if found is None else found

    def judgements(self, log: TicketLog, events: list[TicketEvent]) -> tuple[Judgement, ...]:
        """The ticket's first-response and resolution promises at the end, as ``TierPlanner.state`` derives them."""
        calendar = self.sla_calendar(log.tier, log.customer)
        if calendar is None:
            return ()
        key = (log.tier, log.priority)
        if key not in self._targets:
            self._targets[key] = targets_at(self.tiers.get(log.tier), log.priority)
        return judged(sla_state(clock_events(events), self._targets[key], calendar, self.query.end))


@dataclass(frozen=True, slots=True)
class TicketFacts:
    """What the report counts about one ticket, judged at the end of the period (slots: a period holds many)."""

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
    sla: tuple[Judgement, ...]  # judged for the tickets of the cohort (opened in the period) only
    ever_resolved: bool  # a resolved event before the end
    reopened: bool  # a reopened event before the end
    escalated: bool
    first_contact: bool | None  # None unless resolved at the end


def matches(log: TicketLog, query: ReportQuery) -> bool:
    """True if the ticket passes every filter of ``query`` (its current tier, priority, assignee, ...)."""
    return (
        (query.tier is None or log.tier == query.tier)
        and (query.priority is None or log.priority == query.priority)
        and (query.platform is None or log.platform == query.platform)
        and (query.intents is None or log.intent in query.intents)
        and (query.agent is None or log.assignee == query.agent)
        and (query.customer is None or log.customer == query.customer)
    )


def log_of(history: TicketHistory) -> TicketLog:
    """The light form of a history: what the fold reads of the ticket, its log, and its escalations' times."""
    t = history.ticket
    escalated = tuple(e.at for e in history.escalations if e.level >= 1)
    return TicketLog(
        t.number, t.tier, t.priority, t.address.platform, t.intent, t.customer, t.assignee, t.status, t.created_at,
        history.events, escalated,
    )  # fmt: skip


def assignee_after(event: TicketEvent) -> str | None:
    """Who an ``assigned`` ("a → b") or ``claimed`` (by the actor) event leaves the ticket with."""
    if event.kind == "claimed":
        return event.actor
    after = event.detail.rpartition("→")[2].strip()
    return None if after in ("", "nobody") else after


class _Walk:
    """One pass over a ticket's events before the end: status, credit, flags and backlog state at the end."""

    __slots__ = ("agent", "credited", "ever", "opened", "recent", "replies_first", "resolved_at", "status", "waiting")

    def __init__(self, events: list[TicketEvent], start: datetime) -> None:
        status, opened, resolved_at, credited, agent, waiting = ACTIVE, None, None, None, None, False
        ever: set[str] = set()  # reopened, resolved, escalated: ever, before the end
        recent: set[str] = set()  # status kinds at or after the start
        replies_first = 0  # human replies before the first resolution
        for event in events:
            kind = event.kind
            if kind in STATUS_KINDS:
                if event.at >= start:
                    recent.add(kind)
                if kind == "resolved":
                    status, resolved_at, credited = RESOLVED, event.at, agent
                    ever.add(kind)
                elif kind == "closed":
                    status = CLOSED
                else:
                    status = ACTIVE
                    if kind == "reopened":
                        ever.add(kind)
                        waiting = False
                    elif opened is None:
                        opened = event.at
            elif kind == "replied":  # a human's reply is what puts a ticket to waiting
                replies_first += "resolved" not in ever
                waiting = True
                if agent is None:
                    agent = event.actor  # the desk makes the first person to reply to an unassigned ticket its holder
            elif kind == "assigned" or kind == "claimed":
                agent = assignee_after(event)
            elif kind == "waiting" or kind == "resumed" or kind == "customer_message":
                waiting = kind == "waiting"  # the customer's word resumes it
            elif kind == "escalated":
                ever.add(kind)
        self.status, self.opened, self.resolved_at, self.credited = status, opened, resolved_at, credited
        self.agent, self.waiting, self.ever, self.recent = agent, waiting, ever, recent
        self.replies_first = replies_first


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


def facts_of(history: TicketHistory, ctx: FactContext) -> TicketFacts | None:
    """The ticket's facts at the end of the period; None if it does not match the filters or opened later."""
    return facts_from(log_of(history), ctx)


def facts_from(log: TicketLog, ctx: FactContext) -> TicketFacts | None:
    """The facts of a ticket's light log at the end of the period (None: filtered out, or opened later)."""
    query = ctx.query
    end = query.end
    if log.created_at >= end or not matches(log, query):
        return None
    events = [e for e in log.events if e.at < end]
    events.sort(key=_AT)
    walk = _Walk(events, query.start)
    status, in_cohort = walk.status, log.created_at >= query.start
    calendar = ctx.calendar(log.tier, log.customer)
    start, stop, bot = _first_response(events)
    first = seconds_between(start, stop, calendar) if start is not None and stop is not None else None
    resolution = None
    if status == RESOLVED and walk.opened is not None and walk.resolved_at is not None:
        resolution = seconds_between(walk.opened, walk.resolved_at, calendar)
    if query.end >= ctx.now:  # backlog flags as stored now when the end is not in the past
        waiting, unassigned = log.status.value == "waiting_on_customer", log.assignee is None
    else:
        waiting, unassigned = walk.waiting, walk.agent is None
    next_found, next_pending = _next_responses(events, calendar)
    reopened = "reopened" in walk.ever
    return TicketFacts(
        number=log.number,
        tier=log.tier,
        priority=log.priority.value,
        platform=log.platform,
        intent=log.intent,
        customer=log.customer,
        created_at=log.created_at,
        in_cohort=in_cohort,
        agent=walk.credited if status == RESOLVED else log.assignee,
        status=status,
        waiting=waiting,
        unassigned=unassigned,
        resolved_in_period="resolved" in walk.recent,
        reopened_in_period="reopened" in walk.recent,
        closed_in_period="closed" in walk.recent,
        first_response=first,
        # Bot answered and no hand-off yet: not measured, but still owed a first response while active.
        first_response_pending=stop is None and (start is not None or (bot and status == ACTIVE)),
        next_responses=next_found,
        next_pending=next_pending,
        resolution=resolution,
        resolution_pending=status == ACTIVE,
        sla=ctx.judgements(log, events) if in_cohort else (),
        ever_resolved="resolved" in walk.ever,
        reopened=reopened,
        escalated="escalated" in walk.ever or any(at < end for at in log.escalated_at),
        first_contact=(walk.replies_first == 1 and not reopened) if status == RESOLVED else None,
    )
