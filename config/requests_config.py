"""The ``requests:`` settings: what each tier's accounts weigh in a feature request's score, and when a new
request is close enough to an old one to be offered as a vote instead."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from config.durations import checked_duration
from config.yaml_loader import refuse_unknown_tiers
from core.requests.impact import DUPLICATE_SCORE, RequestPolicy
from core.sla.deadlines import parse_duration

# Paying tiers count more: an enterprise account's vote weighs ten community members'.
DEFAULT_TIER_WEIGHTS = {"community": 1.0, "professional": 3.0, "enterprise": 10.0, "white-glove": 10.0}


class RequestSettings(BaseModel):
    """``requests:`` in helpline.yaml."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # What one account of a tier weighs in the score (the shipped tiers by default).
    tier_weights: dict[str, float] = Field(default_factory=lambda: dict(DEFAULT_TIER_WEIGHTS))
    # A tier not named above weighs this much.
    default_weight: float = Field(1.0, ge=0, le=1000)
    # Votes this recent count as trending.
    trending_window: str = "30d"
    # Cosine similarity from which an existing request is offered instead of filing a new one (measured on
    # tests/data/request_pairs.jsonl with the bundled model: docs/requests.md).
    duplicate_score: float = Field(DUPLICATE_SCORE, ge=-1, le=1)
    suggestions: int = Field(3, ge=0, le=5)
    # Where ``request github N create`` opens the request's GitHub issue (owner/name), with which label.
    github_repo: str = Field("", pattern=r"^$|^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}$")
    github_label: str = Field("enhancement", min_length=1, max_length=50)
    # How often linked issues' 👍 are read again when nothing else happens on them (GitHub sends no event for a
    # reaction); empty: only after an event on the issue.
    reaction_refresh: str = "1h"

    @field_validator("tier_weights")
    @classmethod
    def _weights(cls, value: dict[str, float]) -> dict[str, float]:
        for tier, weight in value.items():
            if not 0 <= weight <= 1000:
                raise ValueError(f"the weight of {tier!r} must be from 0 to 1000, not {weight}")
        return value

    @field_validator("trending_window")
    @classmethod
    def _duration(cls, value: str) -> str:
        return checked_duration(value)

    @field_validator("reaction_refresh")
    @classmethod
    def _refresh(cls, value: str) -> str:
        return checked_duration(value) if value else value

    def policy(self) -> RequestPolicy:
        """The settings as the core's policy."""
        return RequestPolicy(
            weights=dict(self.tier_weights),
            default_weight=self.default_weight,
            trending_window=parse_duration(self.trending_window),
            duplicate_score=self.duplicate_score,
            suggestions=self.suggestions,
            issue_repo=self.github_repo,
            issue_label=self.github_label,
            reaction_refresh=parse_duration(self.reaction_refresh) if self.reaction_refresh else None,
        )


def check_weight_tiers(settings: RequestSettings, tiers_file: Path, source: str) -> None:
    """Refuse a weighted tier that ``tiers_file`` does not define, naming ``source`` and the key."""
    if "tier_weights" not in settings.model_fields_set:
        return  # the defaults name the shipped tiers; a tiers file without them weighs its own at default_weight
    references = ((f"requests.tier_weights.{name}", name) for name in settings.tier_weights)
    refuse_unknown_tiers(references, tiers_file, source)
