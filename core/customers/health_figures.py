"""Gathering an account's ``HealthFigures`` from the stores, and keeping its score of the day.

Support, satisfaction and engagement come from Helpline's own records over the last ``WINDOW`` (the tickets,
escalations, messages and survey answers of every identity of the account's people); usage and growth from the
figures reported through ``POST /api/usage``. Engagement counts the messages people wrote in their tickets'
conversations, the tickets they opened, and the feature requests they filed or voted for.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from core.customers.health import Health, HealthFigures, health
from core.customers.health_history import HealthDay
from core.satisfaction.records import SurveyKind
from core.tickets.priority import Priority

if TYPE_CHECKING:
    from core.customers.records import Account, Usage
    from core.stores import Stores
    from core.tickets.records import Ticket

WINDOW = timedelta(days=30)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


async def health_figures(stores: Stores, account: Account, now: datetime) -> HealthFigures:
    """What the account's score is computed from at ``now``."""
    since = now - WINDOW
    people = await stores.customers.people(account.id)
    owner = {tuple(i.split(":", 1)): p.id for p in people for i in p.identities}
    active: set[str] = set()
    tickets: list[Ticket] = []
    unresolved_critical = 0
    for platform, user_id in owner:
        for ticket in await stores.tickets.tickets_opened_by(platform, user_id, _EPOCH):
            if ticket.status.active and ticket.priority is Priority.CRITICAL:
                unresolved_critical += 1
            if ticket.created_at >= since:
                tickets.append(ticket)
                active.add(owner[(platform, user_id)])
    messages = escalations = 0
    for ticket in tickets:
        escalations += len(await stores.escalations.escalations(ticket.number))
        for message in await stores.conversations.messages(ticket.number):
            person = owner.get((message.address.platform, message.author_id))
            if person is not None and message.at >= since:
                messages += 1
                active.add(person)
    voted = await stores.feature_requests.voters_since([":".join(k) for k in owner], since)
    active.update(owner[(platform, user)] for platform, _, user in (i.partition(":") for i in voted))
    figures = HealthFigures(
        days=WINDOW.days,
        licensed_seats=account.seats,
        tickets=len(tickets),
        sla_misses=sum(1 for t in tickets if missed_deadline(t, now)),
        escalations=escalations,
        unresolved_critical=unresolved_critical,
        people=len(people),
        active_people=len(active),
        messages=messages,
        voters=len(voted),
    )
    figures = await _with_surveys(stores, figures, set(owner), since, now)
    return _with_usage(figures, await stores.customers.usage(account.id, limit=30))


async def account_health(stores: Stores, account: Account, now: datetime) -> Health:
    """The account's score at ``now``."""
    return health(await health_figures(stores, account, now))


def health_day(account: Account, score: Health, now: datetime) -> HealthDay:
    """The score as the history keeps it (the UTC day of ``now``)."""
    return HealthDay(account.id, utc_day(now), score.score, score.category, score.missing, now)


def utc_day(now: datetime) -> date:
    """The UTC day of ``now``: the day a score counts for."""
    return now.astimezone(UTC).date()


def missed_deadline(ticket: Ticket, now: datetime) -> bool:
    """Whether the ticket missed its first-response or resolution deadline (or is past one still open)."""
    pairs = ((ticket.first_response_due, ticket.first_response_at), (ticket.resolution_due, ticket.resolved_at))
    return any(due is not None and (done or now) > due for due, done in pairs)


async def _with_surveys(
    stores: Stores, f: HealthFigures, identities: set[tuple[str, ...]], since: datetime, now: datetime
) -> HealthFigures:
    csat = nps = satisfied = promoters = detractors = 0
    for survey in await stores.surveys.sent_between(since, now):
        if survey.score is None or (survey.platform, survey.person) not in identities:
            continue
        if survey.kind is SurveyKind.CSAT:
            csat += 1
            satisfied += survey.score >= 4
        else:
            nps += 1
            promoters += survey.score >= 9
            detractors += survey.score <= 6
    return replace(
        f,
        csat_answers=csat,
        csat_satisfied=satisfied,
        nps_answers=nps,
        nps_promoters=promoters,
        nps_detractors=detractors,
    )


def _with_usage(f: HealthFigures, usage: list[Usage]) -> HealthFigures:
    """The latest figures for usage; the oldest and newest report with seats in use for growth."""
    if not usage:
        return f
    latest = usage[0]
    with_seats = [u for u in usage if u.seats is not None]
    before, now_ = (with_seats[-1].seats, with_seats[0].seats) if len(with_seats) >= 2 else (None, None)
    return replace(
        f,
        active_users=latest.active_users,
        feature_adoption=latest.feature_adoption,
        plan_usage=latest.plan_usage,
        seats_before=before,
        seats_now=now_,
    )
