"""What a QA review is: a rubric with its scale, a lead's scores of one resolved ticket, and the queue's entries."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from core.errors import HelplineError

DEFAULT_CRITERIA = ("accuracy", "tone", "speed", "resolution")


class ReviewError(HelplineError):
    """A review command that cannot be carried out; the message says why (nothing was saved)."""


@dataclass(frozen=True)
class Rubric:
    """The criteria every review scores, each a whole number from ``low`` to ``high``."""

    criteria: tuple[str, ...] = DEFAULT_CRITERIA
    high: int = 5
    low: int = 1

    def describe(self) -> str:
        """``accuracy, tone, speed and resolution, each 1-5``."""
        names = ", ".join(self.criteria[:-1]) + " and " + self.criteria[-1] if len(self.criteria) > 1 else ""
        return f"{names or self.criteria[0]}, each {self.low}-{self.high}"


@dataclass(frozen=True)
class ReviewPolicy:
    """``reviews:``: the rubric, which resolved tickets join the queue, and how far back it looks."""

    rubric: Rubric = field(default_factory=Rubric)
    # Of the resolved tickets neither low-rated nor breached, this share is drawn for review.
    sample_fraction: float = 0.1
    # A CSAT score at or below this puts the ticket in the queue.
    low_csat: int = 2
    # Tickets resolved this far back are candidates.
    window: timedelta = timedelta(days=30)
    # The draw's seed: the same seed draws the same tickets.
    seed: int = 0


@dataclass(frozen=True)
class Review:
    """A lead's scores of one resolved ticket, credited to the agent who handled it, with a note to them."""

    ticket: int
    reviewer: str  # platform:id
    agent: str | None  # platform:id of who handled it (None: nobody known)
    scores: Mapping[str, int]
    note: str
    at: datetime


class Reason(StrEnum):
    """Why a ticket is in the review queue."""

    LOW_CSAT = "low CSAT"
    BREACHED = "SLA breached"
    SAMPLE = "random sample"


@dataclass(frozen=True)
class Candidate:
    """A resolved ticket as the queue weighs it."""

    ticket: int
    agent: str | None
    csat: int | None  # the customer's CSAT score, if they gave one
    breached: bool  # a first-response or resolution promise was missed


@dataclass(frozen=True)
class QueueEntry:
    """A ticket waiting for review, and why it is there (the strongest reason)."""

    candidate: Candidate
    reason: Reason


@dataclass(frozen=True)
class AgentQuality:
    """One agent's reviews: how many, and the average of each criterion."""

    agent: str
    reviews: int
    averages: Mapping[str, float]

    @property
    def overall(self) -> float:
        """The mean of the criteria's averages."""
        return sum(self.averages.values()) / len(self.averages) if self.averages else 0.0
