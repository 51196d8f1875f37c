"""Satisfaction at the desk: the CSAT question when a ticket is resolved, and the customer's rating and comment."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.command_records import Rate
from core.desk.context import actor_of
from core.desk.health_events import rescore_person
from core.desk.topics import problem_is_back
from core.messages import ChoiceMessage, Inbound, IncomingMessage, Outbound, Reply, ReplyKind
from core.satisfaction.csat import csat_question, looks_like_comment, ready, refusal, thanks
from core.satisfaction.records import NewSurvey, Survey, SurveyKind
from core.tickets.records import TicketEvent

if TYPE_CHECKING:
    from core.desk.context import Desk
    from core.tickets.records import Ticket


class SurveyDesk:
    """Asks the requester of a resolved ticket how it went, and keeps what they answer."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk

    async def ask_csat(self, ticket: Ticket) -> Survey | None:
        """Ask ``ticket``'s requester in its thread, once per ticket; the survey asked, or None if none was."""
        d, policy = self.desk, self.desk.satisfaction
        if not policy.csat_for(ticket.tier, ticket.address.platform, ticket.address.channel):
            return None
        now = d.clock.now()
        earlier = await d.stores.surveys.for_ticket(ticket.number)
        if earlier is not None:
            # Resolved again: within the reopen window nothing is asked; later only an unanswered survey is.
            if earlier.score is not None or now <= earlier.sent_at + policy.reopen_window:
                return None
            survey: Survey | None = earlier
        else:
            draft = NewSurvey(
                SurveyKind.CSAT, ticket.number, ticket.address.platform, ticket.requester_id, ticket.address,
                ticket.tier, ticket.assignee, now,
            )  # fmt: skip
            survey = await d.stores.surveys.send(draft)
        if survey is None:  # another resolution asked first
            return None
        try:
            await d.notifier.send(Outbound(ticket.address, csat_question(survey)))
        except Exception as exc:  # the ticket stays resolved; the failure is in its history
            reason = str(exc) or type(exc).__name__
            event = TicketEvent(ticket.number, now, "helpline", "delivery_failed", f"survey: {reason}")
            await d.stores.tickets.add_event(event)
        return survey

    async def choose(self, message: ChoiceMessage) -> list[Reply]:
        """A rating picked under a survey (``message.ticket`` is the survey's number)."""
        survey = await self.desk.stores.surveys.get(message.ticket) if message.ticket is not None else None
        if message.score is None:
            return [Reply(ReplyKind.ERROR, "That rating carries no score; pick one of the numbers under the question.")]
        return [await self._answer(message, survey, message.score, "")]

    async def command(self, message: Inbound, rate: Rate) -> Reply:
        """``rate SCORE [comment]`` typed in the survey's thread, or a form's ``Rate`` naming its survey."""
        stores = self.desk.stores
        survey = await stores.surveys.get(rate.survey) if rate.survey is not None else await self._in_thread(message)
        if survey is None and rate.survey is None:
            return Reply(ReplyKind.ERROR, "There is no survey for you in this conversation to rate.")
        if rate.score is None and not rate.comment.strip():
            return Reply(ReplyKind.ERROR, "Give a rating, a comment, or both: rate SCORE [comment].")
        return await self._answer(message, survey, rate.score, rate.comment.strip())

    async def comment(self, message: IncomingMessage) -> list[Reply] | None:
        """The requester's next remark after rating, kept as the rating's comment; None if it is not one.

        The rule: on a platform of ``comment_platforms``, from the person who rated, in the survey's thread,
        within ``comment_window`` of the rating, while it has no comment, and looking like a remark (no question
        mark, not opening with a question word, not saying the problem is back). Anything else is handled as usual.
        """
        d = self.desk
        if message.platform not in d.satisfaction.comment_platforms or not isinstance(message.text, str):
            return None
        if message.files:  # a comment keeps words only: a message with files goes to the conversation
            return None
        text = message.text.strip()
        if not looks_like_comment(text) or problem_is_back(text):  # the text alone rules most messages out
            return None
        survey = await self._in_thread(message)
        if survey is None or not ready(survey, d.clock.now(), d.satisfaction):
            return None
        kept = await d.stores.surveys.answer(survey.id, None, text, d.clock.now())
        return [_comment_kept(kept)]

    async def _in_thread(self, message: Inbound) -> Survey | None:
        """The newest survey sent to ``message``'s author in this conversation."""
        return await self.desk.stores.surveys.latest_in(message.address, message.author.id)

    async def _answer(self, message: Inbound, survey: Survey | None, score: int | None, comment: str) -> Reply:
        d = self.desk
        now = d.clock.now()
        person = message.author.id if survey is None or survey.platform == message.platform else ""
        problem = refusal(survey, person, score, now, d.satisfaction)
        if problem is not None or survey is None:
            return Reply(ReplyKind.ERROR, problem or "That survey does not exist.")
        changed = survey.score is not None and score is not None and score != survey.score
        kept = await d.stores.surveys.answer(survey.id, score, comment or None, now)
        if kept.ticket is not None and score is not None:
            event = TicketEvent(kept.ticket, now, actor_of(message), "rated", f"{kept.kind} {score}")
            await d.stores.tickets.add_event(event)
        if score is not None:  # the account's satisfaction part has changed
            await rescore_person(d, f"{kept.platform}:{kept.person}")
        if score is None:
            return _comment_kept(kept)
        if comment:
            return Reply(
                ReplyKind.INFO, f"Thanks, your rating {kept.score} and your comment are kept.", ticket=kept.ticket
            )
        return thanks(kept, changed)


def _comment_kept(survey: Survey) -> Reply:
    return Reply(
        ReplyKind.INFO, f"Thanks, your comment is kept with your rating of {survey.score}.", ticket=survey.ticket
    )
