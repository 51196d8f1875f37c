"""Agent profiles and the routing policy (``routing:`` in the settings): who may take which tickets, how many."""

from __future__ import annotations

from dataclasses import dataclass, field

from core.messages import Address
from core.tiers import covers

ROUTER = "helpline:routing"  # the actor of automatic assignments on a ticket's log


@dataclass(frozen=True)
class Agent:
    """A support agent as routing sees them; an empty set (skills, languages, tiers) means any."""

    identity: str  # platform:id, as tickets name their assignee
    name: str
    skills: frozenset[str] = frozenset()  # intents or categories (billing, bug_report, ...)
    languages: frozenset[str] = frozenset()  # ISO 639-1 codes
    tiers: frozenset[str] = frozenset()
    capacity: int = 5  # open tickets at most
    hours: str = ""  # a calendar of the tiers file the agent works in; "" with no shift: any time
    shift: str = ""  # or an on-call shift of the tiers file


@dataclass(frozen=True)
class RoutingPolicy:
    """The team's agents, and the tiers whose new tickets are assigned automatically."""

    agents: tuple[Agent, ...] = ()
    auto_assign: frozenset[str] = frozenset()
    # Places whose new tickets are assigned automatically whatever their tier (``slack:C0SUPPORT``, ``discord``).
    channels: tuple[str, ...] = ()
    # Tiers whose account's customer success manager takes the ticket first, when free.
    csm_first: frozenset[str] = frozenset({"enterprise", "white-glove"})
    by_identity: dict[str, Agent] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_identity", {agent.identity: agent for agent in self.agents})

    def enabled_for(self, tier: str, address: Address) -> bool:
        """Whether a ticket of ``tier`` opened at ``address`` is assigned automatically."""
        return bool(self.agents) and (tier in self.auto_assign or any(covers(c, address) for c in self.channels))

    def agent(self, identity: str) -> Agent | None:
        """The agent with ``identity``, if routing knows them."""
        return self.by_identity.get(identity)


@dataclass(frozen=True)
class Need:
    """What a ticket asks of its agent."""

    tier: str
    intent: str | None = None
    category: str | None = None
    language: str = ""
