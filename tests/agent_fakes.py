"""Routing's run-time state and the engineering links in memory, for the desk's tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from core.engineering.records import EngineeringLink
from core.messages import Address


class InMemoryAgentPresence:
    """``AgentPresence`` in two dicts."""

    def __init__(self) -> None:
        self.flags: dict[str, bool] = {}
        self.last: dict[str, datetime] = {}
        self.edits: dict[str, tuple[int | None, tuple[str, ...] | None]] = {}

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

    async def change(
        self, identity: str, *, capacity: int | None = None, skills: tuple[str, ...] | None = None
    ) -> None:
        """Keep a lead's change."""
        before = self.edits.get(identity, (None, None))
        self.edits[identity] = (
            capacity if capacity is not None else before[0],
            skills if skills is not None else before[1],
        )

    async def changes(self) -> dict[str, tuple[int | None, tuple[str, ...] | None]]:
        """The kept changes."""
        return dict(self.edits)


class InMemoryEngineeringIssues:
    """``EngineeringIssues`` in a list."""

    def __init__(self) -> None:
        self.links: list[EngineeringLink] = []

    async def link(self, link: EngineeringLink) -> bool:
        """Keep it unless the ticket or the issue is linked."""
        if any(k.ticket == link.ticket or k.issue == link.issue for k in self.links):
            return False
        self.links.append(link)
        return True

    async def of_ticket(self, ticket: int) -> EngineeringLink | None:
        """The ticket's link."""
        return next((k for k in self.links if k.ticket == ticket), None)

    async def of_issue(self, issue: Address) -> EngineeringLink | None:
        """The issue's link."""
        return next((k for k in self.links if k.issue == issue), None)

    async def closed(self, issue: Address, at: datetime) -> bool:
        """Closed, once."""
        link = await self.of_issue(issue)
        if link is None or link.closed_at is not None:
            return False
        self.links[self.links.index(link)] = replace(link, closed_at=at)
        return True

    async def reopened(self, issue: Address) -> None:
        """Open again."""
        link = await self.of_issue(issue)
        if link is not None:
            self.links[self.links.index(link)] = replace(link, closed_at=None)
