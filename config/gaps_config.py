"""The ``knowledge: gaps:`` section of the settings: how knowledge gaps are found and ranked."""

from __future__ import annotations

from types import MappingProxyType
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, NonNegativeFloat

from core.knowledge.gap_records import GapSettings

_DEFAULTS = GapSettings()


class GapsSettings(BaseModel):
    """Tier weights (enterprise counts more than community), the low-confidence margin and the cluster size."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # A question from a tier counts this many times in a gap's weighted size; tiers not named count 1.
    tier_weights: dict[str, NonNegativeFloat] = Field(default_factory=lambda: dict(_DEFAULTS.tier_weights))
    # An answer whose best passage scored less than this above ``support.answer_score`` is low-confidence.
    low_confidence_margin: float = Field(_DEFAULTS.low_confidence_margin, ge=0.0, le=1.0)
    # agglomerative (average linkage cut at ``distance``) or hdbscan; see docs/benchmarks.md for how each did.
    method: Literal["agglomerative", "hdbscan"] = "agglomerative"
    distance: float = Field(0.75, gt=0.0, le=2.0)  # the cosine distance agglomerative clusters are cut at
    min_cluster_size: int = Field(_DEFAULTS.min_cluster_size, ge=2, le=1000)
    representatives: int = Field(_DEFAULTS.representatives, ge=1, le=10)
    max_questions: int = Field(_DEFAULTS.max_questions, ge=10, le=20_000)

    def policy(self) -> GapSettings:
        """The core's gap settings these describe."""
        return GapSettings(
            tier_weights=MappingProxyType(dict(self.tier_weights)),
            low_confidence_margin=self.low_confidence_margin,
            min_cluster_size=self.min_cluster_size,
            representatives=self.representatives,
            max_questions=self.max_questions,
        )
