"""Choosing the agent for a ticket: the account's CSM first when free, else the least loaded able agent.

Able: serves the ticket's tier, has the skill (its intent or category) and the language, is not away, is on
shift and is under capacity. Ties go to whoever was assigned longest ago (round-robin). A pure function: the desk
gathers the loads, the absences and the shifts, so every rule is tested on plain values.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from core.agents.records import Agent, Need

_NEVER = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Pick:
    """The agent chosen and why, as the ticket's log says it."""

    agent: Agent
    reason: str


@dataclass(frozen=True)
class Team:
    """The state of the team at one moment."""

    agents: Sequence[Agent]
    loads: Mapping[str, int]  # identity -> open tickets assigned
    away: frozenset[str]
    on_shift: Callable[[Agent], bool]
    last_assigned: Mapping[str, datetime]


def skill_for(agent: Agent, need: Need) -> str | None:
    """The skill of ``agent`` that fits ``need`` ("any" when the agent takes everything); None if none does."""
    if not agent.skills:
        return "any"
    return next((s for s in (need.intent, need.category) if s is not None and s in agent.skills), None)


def _free(agent: Agent, team: Team) -> bool:
    return (
        agent.identity not in team.away and team.on_shift(agent) and team.loads.get(agent.identity, 0) < agent.capacity
    )


def _serves(agent: Agent, need: Need) -> bool:
    speaks = not agent.languages or not need.language or need.language in agent.languages
    return speaks and (not agent.tiers or need.tier in agent.tiers)


def _reason(agent: Agent, why: str, team: Team) -> str:
    load = team.loads.get(agent.identity, 0)
    return f"assigned to {agent.name}: {why}, {load} of {agent.capacity} open, on shift"


def pick_agent(need: Need, team: Team, csm: str | None = None, exclude: frozenset[str] = frozenset()) -> Pick | None:
    """The agent for a ticket with ``need``, or None when nobody able is free."""
    candidates = [a for a in team.agents if a.identity not in exclude and _free(a, team)]
    if csm is not None:
        manager = next((a for a in candidates if a.identity == csm), None)
        if manager is not None:
            return Pick(manager, _reason(manager, "the account's CSM", team))
    able = [(a, skill) for a in candidates if _serves(a, need) and (skill := skill_for(a, need)) is not None]
    if not able:
        return None
    order = {a.identity: index for index, a in enumerate(team.agents)}
    agent, skill = min(
        able,
        key=lambda pair: (
            team.loads.get(pair[0].identity, 0),
            team.last_assigned.get(pair[0].identity, _NEVER),
            order[pair[0].identity],
        ),
    )
    return Pick(agent, _reason(agent, skill, team))
