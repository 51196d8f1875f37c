"""The NPS round: now and then, people with a recently resolved ticket are asked how likely they are to recommend us."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from core.messages import Destination, Mention, Outbound
from core.satisfaction.csat import nps_question
from core.satisfaction.records import NewSurvey, Survey, SurveyKind
from core.tickets.records import Ticket, TicketStatus

if TYPE_CHECKING:
    from core.ports import Clock
    from core.satisfaction.policy import SatisfactionPolicy
    from core.stores import Stores

# How many recently closed tickets one round looks through (newest resolutions are what count).
SCAN_LIMIT = 10_000


class NpsRound:
    """Asks NPS of whoever is due, at most once per ``every``; the store keeps two workers from both asking.

    The question is queued in the outbox with the survey row, in one transaction, and the escalation worker's
    drain sends it: two workers never both ask, and a crash before the send does not lose the question.
    """

    def __init__(self, stores: Stores, clock: Clock, policy: SatisfactionPolicy, *, every: timedelta) -> None:
        self._stores, self._clock, self.policy = stores, clock, policy
        self._every = every
        self._last: datetime | None = None

    async def run_once(self) -> list[Survey]:
        """One round if the last is ``every`` ago (or none ran yet); the surveys it sent."""
        now = self._clock.now()
        if not self.policy.nps or (self._last is not None and now < self._last + self._every):
            return []
        self._last = now
        sent: list[Survey] = []
        for ticket in await self._due(now):
            survey = await self._ask(ticket, now)
            if survey is not None:
                sent.append(survey)
        return sent

    async def _due(self, now: datetime) -> list[Ticket]:
        """Per person, their latest ticket resolved within ``nps_recent``, if their tier is asked."""
        policy, since = self.policy, now - self.policy.nps_recent
        closed = await self._stores.tickets.list_tickets(active_only=False, limit=SCAN_LIMIT)
        latest: dict[tuple[str, str], Ticket] = {}
        for ticket in closed:
            resolved = ticket.resolved_at
            if ticket.status is not TicketStatus.RESOLVED or resolved is None or not since <= resolved <= now:
                continue
            if ticket.tier not in policy.nps_tiers:
                continue
            key = (ticket.address.platform, ticket.requester_id)
            kept = latest.get(key)
            if kept is None or (kept.resolved_at is not None and kept.resolved_at < resolved):
                latest[key] = ticket
        return sorted(latest.values(), key=lambda t: t.number)

    async def _ask(self, ticket: Ticket, now: datetime) -> Survey | None:
        platform, person = ticket.address.platform, ticket.requester_id
        earlier = await self._stores.surveys.latest_for(SurveyKind.NPS, platform, person)
        if earlier is not None and now < earlier.sent_at + self.policy.nps_interval:
            return None
        draft = NewSurvey(SurveyKind.NPS, None, platform, person, ticket.address, ticket.tier, None, now)
        return await self._stores.surveys.send(draft, lambda survey: self._question(survey, ticket))

    def _question(self, survey: Survey, ticket: Ticket) -> Outbound:
        platform, person = survey.platform, survey.person
        direct = platform in self.policy.direct_platforms
        destination = Destination.DIRECT if direct else Destination.THREAD
        # A direct message goes to the person its mention names; the ticket's thread is where it would go otherwise.
        whom = (Mention(platform, "user", person),) if direct else ()
        reply = replace(nps_question(survey, self.policy.product_name, destination), mentions=whom)
        return Outbound(ticket.address, reply)
