"""The ``routing:`` settings: the team's agents (skills, languages, tiers, capacity, hours) and auto-assignment."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from config.addresses import check_address
from config.yaml_loader import load_yaml_mapping, refuse_unknown_tiers
from core.agents.records import Agent, RoutingPolicy
from core.engineering.records import EngineeringPolicy
from core.errors import ConfigError

_IDENTITY = r"^[a-z][a-z0-9_-]{0,31}:[^\s:][^\s]{0,253}$"


class AgentSettings(BaseModel):
    """One agent under ``routing.agents``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str  # platform:id, e.g. slack:U0DANA or discord:123456789
    name: str = Field(min_length=1, max_length=80)
    skills: list[str] = Field(default_factory=list)  # intents or categories; empty: any ticket
    languages: list[str] = Field(default_factory=list)  # ISO 639-1; empty: any language
    tiers: list[str] = Field(default_factory=list)  # empty: every tier
    capacity: int = Field(5, ge=1, le=500)  # open tickets at most
    hours: str = ""  # a calendar of the tiers file (business-hours, 24x7); empty: always, unless a shift
    shift: str = ""  # an on-call shift of the tiers file (emea)

    @field_validator("id")
    @classmethod
    def _identity(cls, value: str) -> str:
        if not re.fullmatch(_IDENTITY, value):
            raise ValueError(f"{value!r} is not an identity like 'slack:U0DANA' or 'discord:123456789' (platform:id)")
        return value

    @field_validator("languages")
    @classmethod
    def _languages(cls, value: list[str]) -> list[str]:
        wrong = [code for code in value if len(code) != 2 or not code.isalpha() or not code.islower()]
        if wrong:
            raise ValueError(f"languages are two-letter ISO 639-1 codes like 'en', not {', '.join(wrong)}")
        return value

    def agent(self) -> Agent:
        """The core's agent."""
        return Agent(self.id, self.name, frozenset(self.skills), frozenset(self.languages), frozenset(self.tiers),
                     self.capacity, self.hours, self.shift)  # fmt: skip


class RoutingSettings(BaseModel):
    """``routing:`` in helpline.yaml."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # Tiers whose new tickets are assigned automatically; [] (the default): every ticket waits to be claimed.
    auto_assign: list[str] = Field(default_factory=list)
    # Places whose new tickets are assigned whatever their tier: a platform, a workspace or a channel (slack:C0HELP).
    auto_assign_channels: list[str] = Field(default_factory=list)
    # Tiers whose account's customer success manager (an agent here) takes the ticket first when free.
    csm_first: list[str] = Field(default_factory=lambda: ["enterprise", "white-glove"])
    agents: list[AgentSettings] = Field(default_factory=list)
    # Where "escalate N engineering" opens its GitHub issue (owner/name; empty: refused), with which label.
    engineering_repo: str = Field("", pattern=r"^$|^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}$")
    engineering_label: str = Field("support-escalation", min_length=1, max_length=50)

    @field_validator("auto_assign_channels")
    @classmethod
    def _places(cls, value: list[str]) -> list[str]:
        for entry in value:
            check_address(entry)  # a platform Helpline knows, with ids of its shape
        return value

    @field_validator("agents")
    @classmethod
    def _unique(cls, value: list[AgentSettings]) -> list[AgentSettings]:
        seen: set[str] = set()
        for agent in value:
            if agent.id in seen:
                raise ValueError(f"{agent.id} is listed twice")
            seen.add(agent.id)
        return value

    def policy(self) -> RoutingPolicy:
        """The settings as the core's routing policy."""
        agents = tuple(agent.agent() for agent in self.agents)
        channels = tuple(self.auto_assign_channels)
        return RoutingPolicy(agents, frozenset(self.auto_assign), channels, frozenset(self.csm_first))

    def engineering(self) -> EngineeringPolicy:
        """Where escalations to engineering go."""
        return EngineeringPolicy(self.engineering_repo, self.engineering_label)


def check_routing(settings: RoutingSettings, tiers_file: Path, source: str) -> None:
    """Refuse tiers, calendars and shifts that ``tiers_file`` does not define, naming ``source`` and the key."""
    tiers = [(f"routing.auto_assign.{t}", t) for t in settings.auto_assign]
    tiers += [(f"routing.csm_first.{t}", t) for t in settings.csm_first if "csm_first" in settings.model_fields_set]
    for index, agent in enumerate(settings.agents):
        tiers += [(f"routing.agents[{index}].tiers.{t}", t) for t in agent.tiers]
    refuse_unknown_tiers(tiers, tiers_file, source)
    if not any(agent.hours or agent.shift for agent in settings.agents):
        return
    data = load_yaml_mapping(tiers_file)
    calendars = {"24x7", *_names(data.get("calendars"))}
    on_call = data.get("on_call")
    shifts = {str(s.get("name")) for s in on_call.get("shifts", [])} if isinstance(on_call, Mapping) else set()
    for index, agent in enumerate(settings.agents):
        if agent.hours and agent.hours not in calendars:
            known = ", ".join(sorted(calendars))
            raise ConfigError(source, f"routing.agents[{index}].hours", f"unknown calendar {agent.hours!r}; "
                              f"{tiers_file} defines: {known}")  # fmt: skip
        if agent.shift and agent.shift not in shifts:
            known = ", ".join(sorted(shifts)) or "no on_call shifts"
            raise ConfigError(source, f"routing.agents[{index}].shift", f"unknown shift {agent.shift!r}; "
                              f"{tiers_file} defines: {known}")  # fmt: skip


def _names(section: object) -> list[str]:
    return [str(name) for name in section] if isinstance(section, Mapping) else []
