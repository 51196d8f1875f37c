"""Which tracker issue follows which feature request, in SQL: the primary key keeps one issue per request, a
unique constraint one request per issue."""

from __future__ import annotations

from datetime import UTC
from typing import TYPE_CHECKING

from sqlalchemy import and_, delete, insert, select
from sqlalchemy.exc import IntegrityError

from core.messages import Address
from core.requests.records import IssueLink
from core.requests.rules import RequestError
from core.store.base import SqlPort
from core.store.schema_requests import feature_request_issues as issues

if TYPE_CHECKING:
    from sqlalchemy import ColumnElement, RowMapping


def _link_from(row: RowMapping) -> IssueLink:
    address = Address(row["platform"], row["workspace"], row["channel"], row["thread"])
    return IssueLink(int(row["request"]), address, row["url"], row["by"], row["at"])


def _at(issue: Address) -> ColumnElement[bool]:
    return and_(
        issues.c.platform == issue.platform,
        issues.c.workspace == issue.workspace,
        issues.c.channel == issue.channel,
        issues.c.thread == issue.thread,
    )


class SqlRequestIssues(SqlPort):
    """The ``RequestIssues`` port in a SQL database."""

    async def link(self, link: IssueLink) -> IssueLink:
        """Replace the request's link by ``link``; refused when the issue follows another request."""
        issue = link.issue
        values = {
            "request": link.request, "platform": issue.platform, "workspace": issue.workspace,
            "channel": issue.channel, "thread": issue.thread, "url": link.url, "by": link.by,
            "at": link.at.astimezone(UTC),
        }  # fmt: skip
        try:
            async with self._write() as conn:
                other = (await conn.execute(select(issues).where(_at(issue)))).mappings().first()
                if other is not None and int(other["request"]) != link.request:
                    raise RequestError(f"That issue already follows feature request #{other['request']}.")
                await conn.execute(delete(issues).where(issues.c.request == link.request))
                await conn.execute(insert(issues).values(values))
        except IntegrityError:  # another moderator linked the same issue at the same moment
            raise RequestError("That issue was just linked to another feature request.") from None
        return link

    async def issue_of(self, number: int) -> IssueLink | None:
        """The issue that follows request ``number``, if any."""
        found = await self._read(select(issues).where(issues.c.request == number))
        return _link_from(found[0]) if found else None

    async def request_at(self, issue: Address) -> IssueLink | None:
        """The link of the request the issue at ``issue`` follows, if any."""
        found = await self._read(select(issues).where(_at(issue)))
        return _link_from(found[0]) if found else None

    async def linked(self, limit: int) -> list[IssueLink]:
        """Up to ``limit`` links, by request number."""
        return [_link_from(r) for r in await self._read(select(issues).order_by(issues.c.request).limit(limit))]
