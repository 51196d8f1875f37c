"""The links between tickets and their engineering issues."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from datetime import datetime

    from core.engineering.records import EngineeringLink
    from core.messages import Address


class EngineeringIssues(Protocol):
    """Which engineering issue follows which ticket (one each way)."""

    async def link(self, link: EngineeringLink) -> bool:
        """Keep ``link``; False when the ticket or the issue is linked already."""
        ...

    async def of_ticket(self, ticket: int) -> EngineeringLink | None:
        """The ticket's engineering issue, if any."""
        ...

    async def of_issue(self, issue: Address) -> EngineeringLink | None:
        """The link of the issue at ``issue``, if it follows a ticket."""
        ...

    async def closed(self, issue: Address, at: datetime) -> bool:
        """Mark the issue closed; False when it was already (a duplicated delivery)."""
        ...

    async def reopened(self, issue: Address) -> None:
        """The issue is open again."""
        ...
