"""The bounded re-rank of retrieved passages by what customers said about them.

The retriever decides what matches; feedback only breaks near-ties. Each of the top passages gets a
factor from its votes (rating), how often it helped (popularity) and how lately it helped (recency).
A boost can lift a passage's score by at most ``max_lift``, so it never passes a passage that matched
clearly better; a poor rating can lower it without bound other than the rating factor, so a passage
customers keep rejecting falls below the next best one or below the answer threshold.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from core.knowledge.records import PassageScore, Vote

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence
    from datetime import datetime

    from core.knowledge.records import PassageVote
    from core.ports import SearchHit


@dataclass(frozen=True)
class Boosts:
    """The largest factors feedback applies, and how far it may move a passage (the spec's starting points)."""

    rating: float = 1.3  # all votes helpful: ×1.3; all not helpful: ÷1.3 (once there are enough votes)
    popularity: float = 1.2  # approached as helpful votes accumulate
    recency: float = 1.1  # a helpful vote today; fades over ``recency_days``
    prior_votes: float = 2.0  # votes of confidence before the rating counts fully (smoothing)
    popular_votes: float = 10.0  # helpful votes that give about two thirds of the popularity boost
    recency_days: float = 30.0
    max_lift: float = 0.05  # the most a boost adds to a cosine score
    top: int = 10  # only the first ``top`` hits are re-ranked
    # A vote counts for a question sharing at least this share of its words with the question voted on
    # (Jaccard over words of three letters or more and numbers): votes are about a passage *for a question*.
    min_overlap: float = 0.3


DEFAULT_BOOSTS = Boosts()
NO_BOOSTS = Boosts(rating=1.0, popularity=1.0, recency=1.0)


_WORD = re.compile(r"[^\W_]{3,}|\d+")


def words(text: str) -> frozenset[str]:
    """The words two phrasings of a question are compared by."""
    return frozenset(_WORD.findall(text.casefold()))


def overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Jaccard similarity of two word sets (0 when both are empty)."""
    return len(a & b) / len(a | b) if a or b else 0.0


def tally(votes: Iterable[PassageVote]) -> dict[str, PassageScore]:
    """Each passage's helpful and not-helpful votes among ``votes``, and its latest helpful one."""
    scores: dict[str, PassageScore] = {}
    for vote in votes:
        score = scores.get(vote.passage, PassageScore(vote.passage))
        if vote.vote is Vote.HELPFUL:
            last = vote.at if score.last_helpful is None else max(score.last_helpful, vote.at)
            score = replace(score, helpful=score.helpful + 1, last_helpful=last)
        else:
            score = replace(score, not_helpful=score.not_helpful + 1)
        scores[vote.passage] = score
    return scores


def scores_for_question(
    votes: Iterable[PassageVote], question: str, boosts: Boosts = DEFAULT_BOOSTS
) -> dict[str, PassageScore]:
    """The votes on each passage cast on questions like ``question``; the others say nothing about it."""
    asked = words(question)
    return tally(vote for vote in votes if overlap(asked, words(vote.question)) >= boosts.min_overlap)


def feedback_factor(score: PassageScore | None, now: datetime, boosts: Boosts = DEFAULT_BOOSTS) -> float:
    """The factor a passage's votes give its score: 1 with no votes."""
    if score is None or score.votes == 0:
        return 1.0
    balance = (score.helpful - score.not_helpful) / (score.votes + boosts.prior_votes)  # in (-1, 1)
    factor: float = boosts.rating**balance
    factor *= boosts.popularity ** (1.0 - math.exp(-score.helpful / boosts.popular_votes))
    if score.last_helpful is not None:
        age_days = max((now - score.last_helpful).total_seconds(), 0.0) / 86400.0
        factor *= boosts.recency ** math.exp(-age_days / boosts.recency_days)
    return factor


def rerank(
    hits: Sequence[SearchHit],
    scores: Mapping[str, PassageScore],
    now: datetime,
    boosts: Boosts = DEFAULT_BOOSTS,
) -> tuple[SearchHit, ...]:
    """``hits`` with the top ones' scores adjusted by their feedback and sorted again (a stable sort)."""
    head, tail = list(hits[: boosts.top]), list(hits[boosts.top :])
    adjusted = []
    for hit in head:
        factor = feedback_factor(scores.get(hit.chunk.chunk_id), now, boosts)
        value = hit.score * factor
        if value > hit.score:
            value = min(value, hit.score + boosts.max_lift)
        adjusted.append(replace(hit, score=value) if value != hit.score else hit)
    return tuple(sorted(adjusted + tail, key=lambda hit: hit.score, reverse=True))
