"""How much a request matters: raw votes, distinct accounts, a score weighted by tier, and trending votes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from core.requests.records import Vote

TRENDING_WINDOW = timedelta(days=30)
# Measured on tests/data/request_pairs.jsonl with the bundled model on onnx-int8 (docs/requests.md,
# benchmarks/request_dedupe.py).
DUPLICATE_SCORE = 0.37


@dataclass(frozen=True)
class RequestPolicy:
    """The tunable parts of feature requests."""

    # What one account of a tier weighs in the score; a tier not named weighs ``default_weight``.
    weights: Mapping[str, float] = field(default_factory=dict)
    default_weight: float = 1.0
    trending_window: timedelta = TRENDING_WINDOW
    # A request at least this similar to a new one is offered to vote for instead of filing it.
    duplicate_score: float = DUPLICATE_SCORE
    # At most this many similar requests are offered.
    suggestions: int = 3
    # Where ``request github N create`` opens a request's issue (``owner/name``; empty: create is refused), and
    # the label it carries.
    issue_repo: str = ""
    issue_label: str = "enhancement"
    # How often the linked issues' 👍 are read again without an event on them; None: only after events.
    reaction_refresh: timedelta | None = timedelta(hours=1)

    def weight(self, tier: str) -> float:
        """What one account of ``tier`` weighs."""
        return self.weights.get(tier, self.default_weight)


@dataclass(frozen=True)
class Impact:
    """A request's numbers."""

    votes: int
    accounts: int
    score: float
    trending: int


def impact(votes: Sequence[Vote], policy: RequestPolicy, now: datetime) -> Impact:
    """The numbers of the votes that count for one request (``FeatureRequests.votes``).

    An account counts once, at the heaviest tier among its voters; a voter with no account is their own.
    """
    heaviest: dict[str, float] = {}
    for vote in votes:
        account = vote.voter.account or vote.voter.identity
        heaviest[account] = max(heaviest.get(account, 0.0), policy.weight(vote.voter.tier))
    since = now - policy.trending_window
    recent = sum(1 for vote in votes if vote.at >= since)
    return Impact(len(votes), len(heaviest), round(sum(heaviest.values()), 2), recent)


def ranked(numbers: Mapping[int, Impact]) -> list[int]:
    """Request numbers by score, then votes, then the older (smaller) number first."""
    return sorted(numbers, key=lambda n: (-numbers[n].score, -numbers[n].votes, n))
