"""The knowledge domain's records: customers' votes on the passages they were answered with, and what they add up to."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.messages import Address


class Vote(StrEnum):
    """A customer's verdict on an answer."""

    HELPFUL = "helpful"
    NOT_HELPFUL = "not_helpful"


class Voted(StrEnum):
    """What a press of a vote button did: the thread's first vote on the passage, a change, or nothing new."""

    NEW = "new"
    CHANGED = "changed"
    SAME = "same"


@dataclass(frozen=True)
class PassageVote:
    """One thread's standing vote on one passage (a second press replaces it)."""

    address: Address
    passage: str  # the chunk id of the passage the answer quoted
    url: str  # the cited article
    title: str
    question: str  # the customer's words the passage answered
    vote: Vote
    at: datetime


@dataclass(frozen=True)
class PassageScore:
    """The standing votes on one passage, across every thread."""

    passage: str
    helpful: int = 0
    not_helpful: int = 0
    last_helpful: datetime | None = None

    @property
    def votes(self) -> int:
        """Every standing vote on the passage."""
        return self.helpful + self.not_helpful


@dataclass(frozen=True)
class AnswerThenTicket:
    """An answer after which the customer still opened a ticket in the same thread."""

    url: str
    title: str
    question: str
    answered_at: datetime
    ticket: int


@dataclass(frozen=True)
class NeedsUpdateRule:
    """When an article goes on the "needs update" list."""

    window: timedelta = timedelta(days=30)
    min_not_helpful: int = 3  # at least this many not-helpful votes in the window …
    min_share: float = 0.4  # … making at least this share of its votes,
    min_tickets: int = 3  # or at least this many tickets opened after its answers,
    ticket_within: timedelta = timedelta(hours=24)  # in the same thread, within this long of the answer.


@dataclass(frozen=True)
class ArticleReview:
    """An article on the "needs update" list, with the questions it failed."""

    url: str
    title: str
    helpful: int
    not_helpful: int
    tickets_after: int
    failed_questions: tuple[str, ...] = field(default_factory=tuple)

    @property
    def not_helpful_share(self) -> float:
        """Not-helpful votes as a share of all its votes (0 with none)."""
        total = self.helpful + self.not_helpful
        return self.not_helpful / total if total else 0.0
