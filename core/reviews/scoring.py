"""Reading a lead's scores against the rubric, and each agent's averages over their reviews."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from core.reviews.records import AgentQuality, Review, ReviewError, Rubric

UNKNOWN_AGENT = "(nobody)"


def read_scores(rubric: Rubric, pairs: Sequence[tuple[str, str]]) -> dict[str, int]:
    """``criterion=score`` pairs checked against ``rubric``; ``ReviewError`` naming the first problem found.

    Every criterion must be scored exactly once, each with a whole number on the rubric's scale.
    """
    wanted = {name.casefold(): name for name in rubric.criteria}
    scores: dict[str, int] = {}
    for raw_name, raw_score in pairs:
        name = wanted.get(raw_name.casefold())
        if name is None:
            raise ReviewError(f"{raw_name!r} is not a criterion of the rubric; score {rubric.describe()}.")
        if name in scores:
            raise ReviewError(f"{name} is scored twice; give each criterion one score.")
        value = raw_score.strip()
        if not value.isdigit() or len(value) > 3 or not rubric.low <= int(value) <= rubric.high:
            raise ReviewError(
                f"{name}={raw_score} is off the scale; give {name} a whole number from {rubric.low} to {rubric.high}."
            )
        scores[name] = int(value)
    missing = [name for name in rubric.criteria if name not in scores]
    if missing:
        raise ReviewError(f"missing {', '.join(missing)}: score {rubric.describe()}.")
    return scores


def agent_quality(reviews: Iterable[Review], criteria: Sequence[str]) -> list[AgentQuality]:
    """Each agent's review count and average per criterion (of ``criteria``), agents by name."""
    by_agent: dict[str, list[Mapping[str, int]]] = {}
    for review in reviews:
        by_agent.setdefault(review.agent or UNKNOWN_AGENT, []).append(review.scores)
    found = []
    for agent in sorted(by_agent):
        sheets = by_agent[agent]
        averages = {}
        for name in criteria:
            given = [sheet[name] for sheet in sheets if name in sheet]
            if given:
                averages[name] = sum(given) / len(given)
        found.append(AgentQuality(agent, len(sheets), averages))
    return found
