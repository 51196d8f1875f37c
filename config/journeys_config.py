"""``config/journeys.yaml``: each tier's onboarding journey, read into the core's ``JourneySettings``.

Mistakes name the file and the dotted key (``journeys.enterprise.steps[1].day``); a tier tiers.yaml does not
have is refused, so a journey never waits for people who can never be in it.
"""

from __future__ import annotations

from collections.abc import Collection
from itertools import pairwise
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from config.yaml_loader import load_yaml_mapping, validation_problem
from core.customers.journeys import Journey, JourneyError, JourneySettings, JourneyStep
from core.errors import ConfigError

DEFAULT_JOURNEYS_FILE = Path(__file__).resolve().parent / "journeys.yaml"
MAX_DAY = 3650  # ten years: a larger day is a typo
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class _Step(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    day: Annotated[int, Field(ge=0, le=MAX_DAY, strict=True)]
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
    message: Text


class _Tips(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    every_days: Annotated[int, Field(ge=1, le=365, strict=True)] = 14
    messages: list[Text] = []


class _Journey(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    steps: Annotated[list[_Step], Field(min_length=1)]
    tips: _Tips = _Tips()


class _Articles(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    query: Text = "getting started"
    count: Annotated[int, Field(ge=0, le=10, strict=True)] = 3


class _JourneysFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    articles: _Articles = _Articles()
    journeys: dict[str, _Journey] = {}


def _journey(tier: str, parsed: _Journey) -> Journey:
    steps = [JourneyStep(step.name, step.day, step.message) for step in parsed.steps]
    last = steps[-1].day
    for n, message in enumerate(parsed.tips.messages, start=1):
        steps.append(JourneyStep(f"tip {n}", last + n * parsed.tips.every_days, message))
    return Journey(tier, tuple(steps))


def load_journeys(path: Path = DEFAULT_JOURNEYS_FILE, tiers: Collection[str] | None = None) -> JourneySettings:
    """Read and check a journeys file; ``tiers``, when given, are the tier names a journey may be for."""
    data = load_yaml_mapping(path)
    try:
        parsed = _JourneysFile.model_validate(data)
    except ValidationError as exc:
        key, problem = validation_problem(exc, _JourneysFile)
        raise ConfigError(str(path), key, problem) from None
    journeys = {}
    for tier, journey in parsed.journeys.items():
        if tiers is not None and tier not in tiers:
            known = ", ".join(sorted(tiers))
            raise ConfigError(str(path), f"journeys.{tier}", f"no such tier in tiers.yaml (tiers: {known})")
        days = [step.day for step in journey.steps]
        for n, (before, after) in enumerate(pairwise(days), start=1):
            if after < before:
                key = f"journeys.{tier}.steps[{n}].day"
                raise ConfigError(str(path), key, f"day {after} comes before the previous step's day {before}")
        try:
            journeys[tier] = _journey(tier, journey)
        except JourneyError as exc:
            raise ConfigError(str(path), f"journeys.{tier}", str(exc)) from None
    return JourneySettings(journeys, parsed.articles.query, parsed.articles.count)
