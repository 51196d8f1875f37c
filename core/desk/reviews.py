"""QA reviews at the desk: ``review`` shows the next resolved ticket to score, ``review N …`` scores it on the rubric
(the agent is told through the outbox), ``review scores`` shows each agent's averages.

The queue is worked out when asked, from the tickets resolved within ``reviews.window``: nothing is kept but the
reviews themselves, so a ticket leaves the queue the moment it is reviewed.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from core.analytics.outcomes import MISSED, judged
from core.analytics.records import ReportQuery
from core.desk.context import actor_of
from core.messages import Address, Destination, Mention, Outbound, Reply, ReplyKind
from core.reviews.queue import handled_by, reason_for, review_queue
from core.reviews.records import Candidate, Reason, Review, ReviewError
from core.reviews.scoring import agent_quality, read_scores
from core.reviews.wording import agent_note, quality_table, sheet, to_review
from core.satisfaction.records import SurveyKind
from core.sla.planner import TierPlanner
from core.tickets.records import TicketEvent
from core.wording import person

if TYPE_CHECKING:
    from core.desk.context import Desk
    from core.messages import Inbound
    from core.reviews.commands import ReviewTicket
    from core.tickets.records import Ticket


class ReviewDesk:
    """Runs ``review`` for every platform alike (moderators only, checked by the caller)."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self.policy = desk.reviews

    async def command(self, message: Inbound, command: ReviewTicket) -> Reply:
        """Show the next ticket, show one, score one, or show the scores."""
        if command.show_scores:
            return await self.scores()
        if command.ticket == 0:
            return await self.next()
        if not command.scores and not command.note:
            return await self.show(command.ticket)
        return await self.score(message, command)

    async def next(self) -> Reply:
        """The first ticket of the queue, ready to score, and how many wait after it."""
        candidates = await self.candidates()
        reviewed = await self.desk.stores.reviews.reviewed([c.ticket for c in candidates])
        queue = review_queue(candidates, reviewed, self.policy)
        if not queue:
            days = self.policy.window.days
            return _info(f"Nothing to review: every queued ticket resolved in the last {days} days is reviewed.")
        first = queue[0]
        ticket = await self.desk.stores.tickets.get(first.candidate.ticket)
        if ticket is None:  # forgotten meanwhile
            raise ReviewError(f"Ticket #{first.candidate.ticket} is gone; try review again.")
        text = await self._present(ticket, first.candidate, first.reason)
        return _info(f"{text}\n{len(queue) - 1} more in the queue.", ticket.number)

    async def show(self, number: int) -> Reply:
        """Ticket ``number`` ready to score (any resolved ticket, queued or not)."""
        ticket = await self._resolved(number)
        candidate = await self._candidate(ticket, await self.desk.stores.tickets.events(number))
        text = await self._present(ticket, candidate, reason_for(candidate, self.policy))
        done = await self.desk.stores.reviews.of_ticket(number)
        if done is not None:
            scored = sheet(done.scores, self.policy.rubric)
            text += f"\nReviewed already by {person(done.reviewer)} on {done.at:%Y-%m-%d}: {scored}."
        return _info(text, number)

    async def score(self, message: Inbound, command: ReviewTicket) -> Reply:
        """Check the scores against the rubric, keep the review, tell the agent, log it on the ticket."""
        rubric = self.policy.rubric
        ticket = await self._resolved(command.ticket)
        scores = read_scores(rubric, command.scores)
        events = await self.desk.stores.tickets.events(ticket.number)
        agent = handled_by(ticket.assignee, events)
        now, reviewer = self.desk.clock.now(), actor_of(message)
        review = Review(ticket.number, reviewer, agent, scores, command.note, now)
        notice = _notice(agent, agent_note(ticket.number, reviewer, scores, command.note, rubric), ticket.number)
        if not await self.desk.stores.reviews.save(review, [notice] if notice is not None else []):
            raise ReviewError(f"Ticket #{ticket.number} is reviewed already; nothing was saved.")
        detail = sheet(scores, rubric) + ("; a note to the agent" if command.note else "")  # the note: staff only
        await self.desk.stores.tickets.add_event(TicketEvent(ticket.number, now, reviewer, "reviewed", detail))
        told = " The agent is told." if notice is not None else " Nobody handled it, so nobody is told."
        return _info(f"Review of ticket #{ticket.number} saved: {sheet(scores, rubric)}.{told}", ticket.number)

    async def scores(self) -> Reply:
        """Each agent's review count and average per criterion over the window."""
        now = self.desk.clock.now()
        reviews = await self.desk.stores.reviews.since(now - self.policy.window)
        criteria = self.policy.rubric.criteria
        return _info(quality_table(agent_quality(reviews, criteria), criteria, self.policy.window.days))

    async def candidates(self) -> list[Candidate]:
        """The tickets resolved within the window, each with its agent, CSAT score and whether it breached."""
        now = self.desk.clock.now()
        start = now - self.policy.window
        csat = await self._csat(start)
        planner = TierPlanner(self.desk.tiers)
        found = []
        async for batch in self.desk.stores.reports.histories(ReportQuery(start, now + timedelta(seconds=1))):
            for history in batch:
                ticket = history.ticket
                if ticket.status.active or ticket.resolved_at is None or ticket.resolved_at < start:
                    continue
                agent = handled_by(ticket.assignee, history.events)
                missed = any(j.outcome == MISSED for j in judged(planner.state(ticket, history.events, now)))
                found.append(Candidate(ticket.number, agent, csat.get(ticket.number), missed))
        return found

    async def _candidate(self, ticket: Ticket, events: list[TicketEvent]) -> Candidate:
        planner = TierPlanner(self.desk.tiers)
        state = planner.state(ticket, events, self.desk.clock.now())
        survey = await self.desk.stores.surveys.for_ticket(ticket.number)
        breached = any(j.outcome == MISSED for j in judged(state))
        return Candidate(ticket.number, handled_by(ticket.assignee, events), survey.score if survey else None, breached)

    async def _csat(self, start: datetime) -> dict[int, int]:
        now = self.desk.clock.now()
        surveys = await self.desk.stores.surveys.sent_between(start, now + timedelta(seconds=1))
        return {s.ticket: s.score for s in surveys if s.kind is SurveyKind.CSAT and s.ticket and s.score is not None}

    async def _resolved(self, number: int) -> Ticket:
        ticket = await self.desk.stores.tickets.get(number)
        if ticket is None:
            raise ReviewError(f"There is no ticket #{number}.")
        if ticket.status.active:
            raise ReviewError(f"Ticket #{number} is not resolved yet; only resolved tickets are reviewed.")
        return ticket

    async def _present(self, ticket: Ticket, candidate: Candidate, reason: Reason | None) -> str:
        messages = await self.desk.stores.conversations.messages(ticket.number)
        return to_review(ticket, candidate.agent, reason, candidate.csat, messages, self.policy.rubric)


def _notice(agent: str | None, text: str, ticket: int) -> Outbound | None:
    """The note to the agent, straight to them (``platform:id``); None when nobody handled the ticket."""
    if agent is None or ":" not in agent:
        return None
    platform, _, user = agent.partition(":")
    reply = Reply(ReplyKind.INFO, text, destination=Destination.DIRECT, mentions=(Mention(platform, "user", user),),
                  ticket=ticket)  # fmt: skip
    return Outbound(Address.parse(agent), reply)


def _info(text: str, ticket: int | None = None) -> Reply:
    return Reply(ReplyKind.INFO, text, ticket=ticket)
