"""The dashboard's queue in SQL: one query for the page and one for the count, the deadline worked out in SQL.

The next deadline is computed from the deadlines the SLA planner keeps on each ticket row (planned in the
same transaction as its timers, see ``core.store.planning``), so the page needs no join and no per-ticket
derivation: a CASE picks the earliest deadline that still counts, exactly as ``core.tickets.queue`` does.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, case, func, literal, or_, select

from core.store import rows
from core.store.base import ACTIVE, SqlPort
from core.store.columns import UTCDateTime
from core.store.schema import tickets
from core.store.tickets import MOST_URGENT_FIRST
from core.tickets.queue import UNASSIGNED, NextDeadline, QueuePage, QueueQuery, QueueRow

if TYPE_CHECKING:
    from sqlalchemy import ColumnElement, Select

_FIRST = case((tickets.c.first_response_at.is_(None), tickets.c.first_response_due), else_=None)
_NEXT, _RESOLUTION = tickets.c.next_response_due, tickets.c.resolution_due


def _before_both(this: ColumnElement[Any], *others: ColumnElement[Any]) -> ColumnElement[bool]:
    """``this`` is set and no later than each of ``others`` that is set (earlier clocks win ties)."""
    return and_(this.is_not(None), *(or_(other.is_(None), this <= other) for other in others))


_FIRST_WINS = _before_both(_FIRST, _NEXT, _RESOLUTION)
_NEXT_WINS = _before_both(_NEXT, _RESOLUTION)
# Only active tickets have deadlines that count; a resolved one keeps its columns for the reports.
DEADLINE = case((~ACTIVE, None), (_FIRST_WINS, _FIRST), (_NEXT_WINS, _NEXT), else_=_RESOLUTION).label("deadline")
CLOCK = case(
    (~ACTIVE, None),
    (_FIRST_WINS, literal("first_response")),
    (_NEXT_WINS, literal("next_response")),
    (_RESOLUTION.is_not(None), literal("resolution")),
    else_=None,
).label("deadline_clock")


class SqlTicketQueue(SqlPort):
    """The ``TicketQueue`` port in a SQL database."""

    async def page(self, query: QueueQuery, now: datetime) -> QueuePage:
        """The page of matching tickets, most pressing deadline first, and how many match in all."""
        conditions = _conditions(query, now)
        found = select(tickets, DEADLINE, CLOCK).where(*conditions)
        found = found.order_by(DEADLINE.is_(None), DEADLINE, *MOST_URGENT_FIRST)
        found = found.limit(max(query.limit, 0)).offset(max(query.offset, 0))
        count: Select[Any] = select(func.count()).select_from(tickets).where(*conditions)
        async with self._engine.connect() as conn:
            page = list((await conn.execute(found)).mappings())
            total = int((await conn.execute(count)).scalar_one())
        return QueuePage(tuple(_row(r) for r in page), total)


def _conditions(query: QueueQuery, now: datetime) -> list[ColumnElement[bool]]:
    found = [tickets.c.status == query.status.value if query.status is not None else ACTIVE]
    if query.tier is not None:
        found.append(tickets.c.tier == query.tier)
    if query.priority is not None:
        found.append(tickets.c.priority == query.priority.value)
    if query.platform is not None:
        found.append(tickets.c.platform == query.platform)
    if query.assignee == UNASSIGNED:
        found.append(tickets.c.assignee.is_(None))
    elif query.assignee is not None:
        found.append(tickets.c.assignee == query.assignee)
    if query.breaching_within is not None:
        found.append(literal(now + query.breaching_within, UTCDateTime) >= DEADLINE)
    return found


def _row(row: Any) -> QueueRow:
    at: datetime | None = row["deadline"]
    clock: str | None = row["deadline_clock"]
    deadline = NextDeadline(clock, at) if at is not None and clock is not None else None
    return QueueRow(rows.ticket_from(row), deadline)
