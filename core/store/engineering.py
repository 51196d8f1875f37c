"""The ``EngineeringIssues`` port in SQL: the unique keys decide, so a retried job links once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from core.engineering.records import EngineeringLink
from core.messages import Address
from core.store.base import SqlPort
from core.store.schema_engineering import engineering_issues

if TYPE_CHECKING:
    from datetime import datetime

    from sqlalchemy import RowMapping

_c = engineering_issues.c


class SqlEngineeringIssues(SqlPort):
    """Tickets and their engineering issues."""

    async def link(self, link: EngineeringLink) -> bool:
        """Insert the link unless the ticket or the issue has one."""
        values = {"ticket_id": link.ticket, "issue": str(link.issue), "url": link.url, "by": link.by, "at": link.at}
        try:
            async with self._write() as conn:
                await conn.execute(insert(engineering_issues).values(values))
        except IntegrityError:
            return False
        return True

    async def of_ticket(self, ticket: int) -> EngineeringLink | None:
        """The ticket's link."""
        rows = await self._read(select(engineering_issues).where(_c.ticket_id == ticket))
        return _link(rows[0]) if rows else None

    async def of_issue(self, issue: Address) -> EngineeringLink | None:
        """The issue's link."""
        rows = await self._read(select(engineering_issues).where(_c.issue == str(issue)))
        return _link(rows[0]) if rows else None

    async def closed(self, issue: Address, at: datetime) -> bool:
        """Mark it closed, once."""
        async with self._write() as conn:
            done = await conn.execute(
                update(engineering_issues).where(_c.issue == str(issue), _c.closed_at.is_(None)).values(closed_at=at)
            )
        return bool(done.rowcount)

    async def reopened(self, issue: Address) -> None:
        """Open again."""
        async with self._write() as conn:
            await conn.execute(update(engineering_issues).where(_c.issue == str(issue)).values(closed_at=None))


def _link(row: RowMapping) -> EngineeringLink:
    return EngineeringLink(row["ticket_id"], Address.parse(row["issue"]), row["url"], row["by"], row["at"],
                           row["closed_at"])  # fmt: skip
