"""The "needs update" list: articles whose answers customers reject, or after which they still open tickets."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from core.knowledge.records import ArticleReview, NeedsUpdateRule, Vote

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    from core.knowledge.ports import AnswerFeedback
    from core.knowledge.records import AnswerThenTicket, PassageVote

MAX_QUESTIONS = 10
DEFAULT_RULE = NeedsUpdateRule()  # the failed questions listed per article, latest first


def articles_needing_update(
    votes: Sequence[PassageVote], followed: Sequence[AnswerThenTicket], rule: NeedsUpdateRule
) -> list[ArticleReview]:
    """The articles ``rule`` flags, worst first (most not-helpful votes and tickets), with the questions that failed.

    Votes count per article: every passage of it, every thread once per passage.
    """
    helpful: dict[str, int] = defaultdict(int)
    unhelpful: dict[str, int] = defaultdict(int)
    tickets: dict[str, set[int]] = defaultdict(set)
    titles: dict[str, str] = {}
    failed: dict[str, list[tuple[datetime, str]]] = defaultdict(list)
    for vote in votes:
        titles.setdefault(vote.url, vote.title)
        if vote.vote is Vote.HELPFUL:
            helpful[vote.url] += 1
        else:
            unhelpful[vote.url] += 1
            failed[vote.url].append((vote.at, vote.question))
    for answer in followed:
        titles.setdefault(answer.url, answer.title)
        if answer.ticket not in tickets[answer.url]:
            tickets[answer.url].add(answer.ticket)
            failed[answer.url].append((answer.answered_at, answer.question))
    reviews = []
    for url, title in titles.items():
        review = ArticleReview(url, title, helpful[url], unhelpful[url], len(tickets[url]), _questions(failed[url]))
        by_votes = review.not_helpful >= rule.min_not_helpful and review.not_helpful_share >= rule.min_share
        if by_votes or review.tickets_after >= rule.min_tickets:
            reviews.append(review)
    return sorted(reviews, key=lambda r: (-(r.not_helpful + r.tickets_after), -r.not_helpful_share, r.url))


async def needs_update(
    feedback: AnswerFeedback, now: datetime, rule: NeedsUpdateRule = DEFAULT_RULE
) -> list[ArticleReview]:
    """The "needs update" list over ``rule.window`` up to ``now`` (the CLI's and the dashboard's one query)."""
    since = now - rule.window
    votes = await feedback.votes_since(since)
    followed = await feedback.answers_then_tickets(since, rule.ticket_within)
    return articles_needing_update(votes, followed, rule)


def _questions(found: list[tuple[datetime, str]]) -> tuple[str, ...]:
    """Distinct questions, latest first, at most ``MAX_QUESTIONS``."""
    seen: list[str] = []
    for _, question in sorted(found, key=lambda pair: pair[0], reverse=True):
        if question not in seen:
            seen.append(question)
    return tuple(seen[:MAX_QUESTIONS])
