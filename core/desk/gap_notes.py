"""Noting the questions the desk could not answer well, for the knowledge-gap report (core/knowledge/gaps.py).

A question is noted when the desk was not sure it could help, found no passage close enough, handed it to a
person with nothing from the docs, or answered it with a passage that barely cleared the answer threshold; and
when the customer rejected an answer (Not helpful, or Talk to a human after it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.desk import feedback
from core.knowledge.gap_records import GapQuestion, GapReason
from core.knowledge.records import Voted
from core.messages import Action, ChoiceMessage, ReplyKind

if TYPE_CHECKING:
    from collections.abc import Sequence

    from core.desk.context import Desk
    from core.messages import Inbound, Reply
    from core.understanding.understander import Understanding


def reason_for(replies: Sequence[Reply], score: float | None, answer_score: float, margin: float) -> GapReason | None:
    """Why the desk's ``replies`` to a new question make it a gap question; None when they answered it well."""
    kinds = {reply.kind for reply in replies}
    if ReplyKind.ANSWER in kinds:
        return GapReason.LOW_CONFIDENCE if score is not None and score < answer_score + margin else None
    if ReplyKind.TICKET in kinds:
        return GapReason.HANDED_OFF
    offers = [reply for reply in replies if any(c.action is Action.OPEN_TICKET for c in reply.choices)]
    if not offers:
        return None  # a greeting, or a message with nothing to read
    # "Not sure I can help" carries no intent; "I couldn't find an answer in the docs" carries the one it read.
    return GapReason.NOT_SURE if offers[0].intent is None else GapReason.NO_ANSWER


async def note_replies(desk: Desk, message: Inbound, understanding: Understanding, replies: Sequence[Reply]) -> None:
    """Keep the question behind ``replies`` as a gap question when they did not answer it well."""
    score = understanding.hits[0].score if understanding.hits else None
    policy = desk.policy
    reason = reason_for(replies, score, policy.answer_score, policy.gaps.low_confidence_margin)
    if reason is not None and understanding.text:
        await _keep(desk, message, understanding.text, reason, score)


async def note_rejection(desk: Desk, message: ChoiceMessage, voted: Voted | None) -> None:
    """Keep the question of a rejected answer: a new or changed not-helpful vote, or a person asked for after it."""
    if message.action is Action.NOT_HELPFUL and voted in (None, Voted.SAME):
        return  # no answer to reject, or pressed again: the question is kept already
    if message.action is Action.HUMAN and await desk.stores.tickets.active_ticket_for(message.address) is not None:
        return  # the thread has its person already
    found = await feedback.last_answer(desk, message.address)
    if found is None:
        return
    reason = GapReason.NOT_HELPFUL if message.action is Action.NOT_HELPFUL else GapReason.HANDED_OFF
    await _keep(desk, message, found[1].text, reason, None)


async def _keep(desk: Desk, message: Inbound, text: str, reason: GapReason, score: float | None) -> None:
    tier = desk.tiers.resolve(message).tier.name
    person = f"{message.platform}:{message.author.id}"
    question = GapQuestion(message.address, person, tier, text, reason, desk.clock.now(), score)
    await desk.stores.gaps.record(question)
