"""The ``reviews:`` settings: the QA rubric and its scale, and which resolved tickets join the review queue."""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from config.durations import checked_duration
from core.reviews.records import DEFAULT_CRITERIA, ReviewPolicy, Rubric
from core.sla.deadlines import parse_duration

_CRITERION = re.compile(r"[a-z][a-z0-9_-]{0,31}")


class ReviewSettings(BaseModel):
    """``reviews:`` in helpline.yaml."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # What every review scores, each criterion a short lower-case word (typed as ``accuracy=4``).
    criteria: tuple[str, ...] = DEFAULT_CRITERIA
    # Scores run from 1 to this.
    scale_max: int = Field(5, ge=2, le=10)
    # Of the resolved tickets neither low-rated nor breached, this share is drawn for review.
    sample_fraction: float = Field(0.1, ge=0, le=1)
    # A CSAT score at or below this puts the ticket in the queue (CSAT is 1-5; 0 puts none in for it).
    low_csat: int = Field(2, ge=0, le=5)
    # Tickets resolved this far back are candidates; ``review scores`` averages over the same span.
    window: str = "30d"
    # The draw's seed: change it to draw a different sample.
    seed: int = 0

    @field_validator("criteria")
    @classmethod
    def _criteria(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise PydanticCustomError("criteria", "the rubric needs at least one criterion")
        for name in value:
            if not _CRITERION.fullmatch(name):
                raise PydanticCustomError(
                    "criteria",
                    "{name} is not a criterion name: use a lower-case word of letters, digits, - or _, at most 32 long",
                    {"name": repr(name)},
                )
        if len(set(value)) != len(value):
            raise PydanticCustomError("criteria", "a criterion is named twice")
        return value

    @field_validator("window")
    @classmethod
    def _duration(cls, value: str) -> str:
        return checked_duration(value)

    def policy(self) -> ReviewPolicy:
        """The settings as the core's review policy."""
        return ReviewPolicy(
            rubric=Rubric(self.criteria, self.scale_max),
            sample_fraction=self.sample_fraction,
            low_csat=self.low_csat,
            window=parse_duration(self.window),
            seed=self.seed,
        )
