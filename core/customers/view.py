"""One account as a person reads it (``helpline customer show``): fields, people, tickets, usage, links, outreach.

The tickets are every ticket any identity of the account's people opened, so a person's history follows them
across platforms. ``document`` is the JSON form (its keys are documented in docs/customers.md). Given ``now``,
the view carries the account's health score computed then, with the trend from its history.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from core.customers.health import health
from core.customers.health_figures import health_day, health_figures
from core.customers.health_history import trend

if TYPE_CHECKING:
    from collections.abc import Callable

    from core.customers.health import Health, HealthFigures
    from core.customers.journeys import Progress
    from core.customers.outreach_steps import OutreachRecord
    from core.customers.records import Account, LinkEvent, Person, Usage
    from core.stores import Stores
    from core.tickets.records import Ticket

RECENT_TICKETS = 10  # closed or resolved tickets shown besides the open ones
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
TREND_HISTORY = timedelta(days=30)  # the history read for the trend
TIMELINE = 50  # outreach records shown, newest first


@dataclass(frozen=True)
class CustomerView:
    """An account with its people, its open and recent tickets, its latest usage figures and its link audit."""

    account: Account
    people: tuple[Person, ...]
    open_tickets: tuple[Ticket, ...]  # most recent first
    recent_tickets: tuple[Ticket, ...]  # resolved or closed, most recent first
    usage: Usage | None
    links: tuple[LinkEvent, ...]
    health: Health | None = None  # computed at the view's ``now``
    trend: str | None = None  # improving, stable or declining; None with too little history
    figures: HealthFigures | None = None  # what ``health`` was computed from (the dashboard shows them)
    timeline: tuple[OutreachRecord, ...] = ()  # proactive outreach's records, newest first
    journeys: tuple[Progress, ...] = ()  # the onboarding journeys of the account's people
    journey_due: tuple[datetime | None, ...] = ()  # each journey's next step's due time (none: not known)


async def customer_view(
    stores: Stores,
    account_id: str,
    *,
    recent: int = RECENT_TICKETS,
    now: datetime | None = None,
    due: Callable[[Progress], datetime | None] | None = None,
) -> CustomerView | None:
    """The view of one account (with its health score when ``now`` is given); None if there is no such account.

    ``due`` tells when a journey's next step is due (``JourneyPass.next_due``); without it ``next_due`` is null.
    """
    account = await stores.customers.get(account_id)
    if account is None:
        return None
    people = tuple(await stores.customers.people(account_id))
    identities = [identity for person in people for identity in person.identities]
    found: dict[int, Ticket] = {}
    for identity in identities:
        platform, _, user_id = identity.partition(":")
        for ticket in await stores.tickets.tickets_opened_by(platform, user_id, _EPOCH):
            found[ticket.number] = ticket
    newest = sorted(found.values(), key=lambda t: (t.created_at, t.number), reverse=True)
    open_tickets = tuple(t for t in newest if t.status.active)
    done = tuple(t for t in newest if not t.status.active)[:recent]
    usage = await stores.customers.usage(account_id, limit=1)
    links = tuple(await stores.links.history(identities)) if identities else ()
    timeline = tuple(await stores.outreach.timeline(account_id, limit=TIMELINE))
    view = CustomerView(account, people, open_tickets, done, usage[0] if usage else None, links, timeline=timeline)
    journeys = tuple(await stores.journeys.of_people(identities))
    view = replace(view, journeys=journeys, journey_due=tuple(due(p) for p in journeys) if due else ())
    if now is None:
        return view
    figures = await health_figures(stores, account, now)
    score = health(figures)
    today = health_day(account, score, now)
    history = [h for h in await stores.health.history(account.id, today.day - TREND_HISTORY) if h.day != today.day]
    return replace(view, health=score, trend=trend([*history, today]), figures=figures)


def document(view: CustomerView) -> dict[str, Any]:
    """The view as JSON-ready data (dates and times ISO-8601)."""
    a = view.account
    return {
        "account": {
            "id": a.id,
            "name": a.name,
            "tier": a.tier,
            "csm": a.csm,
            "contract_start": _iso(a.contract_start),
            "renewal_date": _iso(a.renewal_date),
            "seats": a.seats,
            "external_id": a.external_id,
        },
        "people": [{"id": p.id, "name": p.name, "identities": list(p.identities)} for p in view.people],
        "tickets": {
            "open": [_ticket(t) for t in view.open_tickets],
            "recent": [_ticket(t) for t in view.recent_tickets],
        },
        "usage": None if view.usage is None else _usage(view.usage),
        "links": [
            {"at": e.at.isoformat(), "actor": e.actor, "action": e.action, "identity": e.identity, "other": e.other}
            for e in view.links
        ],
        "health": None if view.health is None else _health(view.health, view.trend),
        "timeline": [_outreach(r) for r in view.timeline],
        "journeys": [
            _journey(p, view.journey_due[i] if view.journey_due else None) for i, p in enumerate(view.journeys)
        ],
    }


def _outreach(record: OutreachRecord) -> dict[str, Any]:
    return {
        "at": record.at.isoformat(),
        "playbook": record.playbook,
        "trigger": record.trigger,
        "occurrence": record.occurrence,
        "action": record.action,
        "audience": record.audience,
        "target": record.target,
        "text": record.text,
        "status": record.status,
        "due_at": _iso(record.due_at),
        "sent_at": _iso(record.sent_at),
    }


def _journey(progress: Progress, next_due: datetime | None) -> dict[str, Any]:
    """A person's journey: its tier, the steps sent (the next one's index), its state, when, and what is next."""
    return {
        "person": progress.person,
        "journey": progress.tier,
        "step": progress.step,
        "state": progress.state.value,
        "stop_reason": None if progress.stop_reason is None else progress.stop_reason.value,
        "started_at": progress.started_at.isoformat(),
        "last_sent_at": None if progress.last_sent_at is None else progress.last_sent_at.isoformat(),
        "next_due": _iso(next_due),
    }


def _health(health: Health, trend: str | None) -> dict[str, Any]:
    return {
        "score": health.score,
        "category": health.category,
        "trend": trend,
        "reason": health.reason,
        "missing": list(health.missing),
        "parts": {p.name: {"score": p.score, "weight": p.weight, "reason": p.reason} for p in health.parts},
    }


def _ticket(ticket: Ticket) -> dict[str, Any]:
    return {
        "number": ticket.number,
        "subject": ticket.subject,
        "status": ticket.status.value,
        "priority": ticket.priority.value,
        "tier": ticket.tier,
        "requester": f"{ticket.address.platform}:{ticket.requester_id}",
        "created_at": ticket.created_at.isoformat(),
        "resolved_at": _iso(ticket.resolved_at),
    }


def _usage(usage: Usage) -> dict[str, Any]:
    return {
        "at": usage.at.isoformat(),
        "active_users": usage.active_users,
        "seats": usage.seats,
        "feature_adoption": usage.feature_adoption,
        "plan_usage": usage.plan_usage,
    }


def _iso(value: Any) -> str | None:
    return None if value is None else str(value.isoformat())
