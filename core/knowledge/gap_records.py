"""The knowledge gaps' records: the questions the desk could not answer well, and the clusters they form."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.messages import Address


class GapReason(StrEnum):
    """Why a customer's question counts towards a knowledge gap."""

    NOT_SURE = "not_sure"  # the desk said it was not sure it could help
    NO_ANSWER = "no_answer"  # the docs held no passage close enough to be the answer
    HANDED_OFF = "handed_off"  # a person was needed and the docs had nothing, or the customer asked for one
    LOW_CONFIDENCE = "low_confidence"  # answered, but the passage barely cleared the answer threshold
    NOT_HELPFUL = "not_helpful"  # answered, and the customer said it did not help


@dataclass(frozen=True)
class GapQuestion:
    """One customer question that got no answer, a weak one, or one they rejected."""

    address: Address
    person: str  # platform:id of who asked
    tier: str  # the tier they were served at when they asked
    text: str  # the cleaned question
    reason: GapReason
    at: datetime
    score: float | None = None  # the best passage's similarity, when the desk searched the docs


def _default_weights() -> Mapping[str, float]:
    return MappingProxyType({"community": 1.0, "professional": 2.0, "enterprise": 4.0, "white-glove": 6.0})


@dataclass(frozen=True)
class GapSettings:
    """How gaps are found and ranked (``knowledge: gaps:`` in the settings)."""

    # A question from a tier counts this many times in a cluster's weighted size; tiers not named count 1.
    tier_weights: Mapping[str, float] = field(default_factory=_default_weights)
    # An answer whose best passage scored less than this above the answer threshold is a low-confidence one.
    low_confidence_margin: float = 0.05
    min_cluster_size: int = 3  # fewer questions than this are noise, not a gap
    representatives: int = 3  # questions shown per gap, those nearest its centre
    max_questions: int = 5000  # the newest questions clustered in one report (bounds the time it takes)

    def weight(self, tier: str) -> float:
        """What one question from ``tier`` counts for."""
        return self.tier_weights.get(tier, 1.0)


@dataclass(frozen=True)
class Coverage:
    """Whether the knowledge base answers a gap's representative questions now, and with which article."""

    covered: bool
    best_score: float  # the lowest of the representatives' best scores: covered when it clears the threshold
    url: str = ""
    title: str = ""


@dataclass(frozen=True)
class Gap:
    """A cluster of questions by meaning: what customers keep asking that the docs do not answer."""

    size: int
    people: int  # distinct people who asked
    tiers: Mapping[str, int]  # questions per tier
    weight: float  # the size weighted by tier: what gaps are ranked by
    representatives: tuple[str, ...]  # the questions nearest the cluster's centre
    first_seen: datetime
    last_seen: datetime
    reasons: Mapping[str, int]  # questions per ``GapReason`` value
    coverage: Coverage | None = None  # None when no knowledge index was asked


@dataclass(frozen=True)
class GapReport:
    """The gaps of a period, heaviest first, and what they were found among."""

    since: datetime
    until: datetime
    questions: int  # questions considered
    noise: int  # questions in no cluster
    gaps: tuple[Gap, ...] = ()
