"""Routing's run-time state in memory, for the desk's tests."""

from __future__ import annotations

from datetime import datetime


class InMemoryAgentPresence:
    """``AgentPresence`` in two dicts."""

    def __init__(self) -> None:
        self.flags: dict[str, bool] = {}
        self.last: dict[str, datetime] = {}

    async def set_away(self, identity: str, away: bool, at: datetime) -> bool:
        """Mark away or back; False when nothing changed."""
        if self.flags.get(identity, False) is away:
            return False
        self.flags[identity] = away
        return True

    async def away(self) -> frozenset[str]:
        """Who is away."""
        return frozenset(identity for identity, away in self.flags.items() if away)

    async def assigned(self, identity: str, at: datetime) -> None:
        """Note the assignment."""
        self.last[identity] = at

    async def last_assigned(self) -> dict[str, datetime]:
        """The last assignments."""
        return dict(self.last)
