"""Votes on the desk's answers: one per thread and passage, the customer's last vote standing, and the re-rank
that lets them change later answers."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from typing import TYPE_CHECKING

from core.knowledge.ranking import rerank, scores_for_question
from core.knowledge.records import PassageVote, Vote, Voted
from core.messages import Reply, ReplyKind
from core.tickets.records import Role

if TYPE_CHECKING:
    from collections.abc import Sequence

    from core.desk.context import Desk
    from core.messages import Address
    from core.tickets.records import ConversationMessage
    from core.understanding.understander import Understanding

_HELPFUL_SAYS = {
    Voted.NEW: "Marked helpful — thanks, glad that helped!",
    Voted.CHANGED: "Changed to helpful — thanks, glad it helped after all!",
    Voted.SAME: "Already marked helpful — glad that helped!",
}
_NOT_HELPFUL_SAYS = {
    Voted.NEW: "Marked not helpful.",
    Voted.CHANGED: "Changed to not helpful.",
    Voted.SAME: "Already marked not helpful.",
}


def answer_key(answer: ConversationMessage) -> str:
    """A short name for one answer within its thread: the same answer, however often its buttons are pressed."""
    url = answer.citation.url if answer.citation is not None else ""
    return hashlib.sha256(f"{answer.at.isoformat()}\n{url}\n{answer.text}".encode()).hexdigest()[:32]


async def last_answer(desk: Desk, address: Address) -> tuple[ConversationMessage, ConversationMessage] | None:
    """The thread's latest answer from the docs and the question before it, while no ticket holds them."""
    history = await desk.stores.conversations.conversation(address, limit=desk.policy.history_limit)
    answered = next((m for m in reversed(history) if m.role is Role.BOT and m.citation is not None), None)
    question = next((m for m in reversed(history) if m.role is Role.CUSTOMER and m.text), None)
    if answered is None or question is None:
        return None
    return answered, question


async def helpful(desk: Desk, address: Address) -> Reply:
    """Count the latest answer as a self-service resolution and a helpful vote, once however often it is pressed."""
    found = await last_answer(desk, address)
    if found is None or found[0].citation is None:
        return Reply(ReplyKind.INFO, "There is no answer here to rate yet.")
    answered, question = found
    url = answered.citation.url if answered.citation is not None else ""
    stats = desk.stores.statistics
    await stats.record_deflection(address, question.text, url, desk.clock.now(), answer=answer_key(answered))
    voted = await _vote(desk, address, answered, question, Vote.HELPFUL)
    return Reply(ReplyKind.INFO, _HELPFUL_SAYS[voted], intent=question.intent)


async def unhelpful(desk: Desk, address: Address, *, vote: bool = True) -> Voted | None:
    """The customer wants more than the latest answer (Not helpful, a person): it no longer counts as resolved.

    With ``vote`` (the Not helpful button) it is also kept as the thread's not-helpful vote on the passage.
    """
    found = await last_answer(desk, address)
    if found is None:
        return None
    await desk.stores.statistics.withdraw_deflection(address, answer_key(found[0]))
    return await _vote(desk, address, found[0], found[1], Vote.NOT_HELPFUL) if vote else None


def noted(replies: Sequence[Reply], voted: Voted | None) -> list[Reply]:
    """``replies`` with the first saying which vote is now kept (no extra message)."""
    if voted is None or not replies:
        return list(replies)
    first = replies[0]
    return [replace(first, text=f"{_NOT_HELPFUL_SAYS[voted]} {first.text}"), *replies[1:]]


async def reranked(desk: Desk, understanding: Understanding) -> Understanding:
    """``understanding`` with its passages re-ranked by their votes (unchanged when none has any)."""
    if not understanding.hits:
        return understanding
    boosts = desk.policy.boosts
    votes = await desk.stores.feedback.votes_on(hit.chunk.chunk_id for hit in understanding.hits[: boosts.top])
    scores = scores_for_question(votes, understanding.text, boosts)
    if not scores:
        return understanding
    hits = rerank(understanding.hits, scores, desk.clock.now(), boosts)
    return replace(understanding, hits=hits)


async def _vote(
    desk: Desk, address: Address, answered: ConversationMessage, question: ConversationMessage, vote: Vote
) -> Voted:
    citation = answered.citation
    url = citation.url if citation is not None else ""
    passage = (citation.passage if citation is not None else None) or url  # older answers kept no passage
    title = citation.title if citation is not None else ""
    kept = PassageVote(address, passage, url, title, question.text, vote, desk.clock.now())
    return await desk.stores.feedback.vote(kept)
