"""Where routing keeps what changes at run time: who is away, and when each agent was last assigned."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from datetime import datetime


class AgentPresence(Protocol):
    """Agents' availability (``away``/``back``) and their last automatic assignment, shared by every process."""

    async def set_away(self, identity: str, away: bool, at: datetime) -> bool:
        """Mark ``identity`` away (or back); False when they already were."""
        ...

    async def away(self) -> frozenset[str]:
        """The identities marked away."""
        ...

    async def assigned(self, identity: str, at: datetime) -> None:
        """Note that ``identity`` was just assigned a ticket (the round-robin's order)."""
        ...

    async def last_assigned(self) -> dict[str, datetime]:
        """When each agent was last assigned a ticket automatically."""
        ...

    async def change(
        self, identity: str, *, capacity: int | None = None, skills: tuple[str, ...] | None = None
    ) -> None:
        """Keep a lead's change to ``identity``'s capacity or skills (None: that one unchanged)."""
        ...

    async def changes(self) -> dict[str, tuple[int | None, tuple[str, ...] | None]]:
        """Every agent's kept changes: (capacity, skills), None where the settings' value stands."""
        ...
