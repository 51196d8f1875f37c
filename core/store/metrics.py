"""The ``MetricsSource`` port in SQL: a handful of grouped counts, read when Prometheus scrapes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import MetaData, Table, and_, func, inspect, or_, select

from core.analytics.gauges import MetricsSnapshot, ResponseHistogram
from core.jobs import JobStatus
from core.store.base import ACTIVE
from core.store.schema import escalations, jobs, messages, outbox, tickets

if TYPE_CHECKING:
    from datetime import datetime

    from sqlalchemy import Connection
    from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine


class SqlMetricsSource:
    """The database figures of ``/metrics``; every process reading the same database shows the same numbers."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def snapshot(self, now: datetime) -> MetricsSnapshot:
        """Counts as of ``now``, in one read transaction."""
        async with self._engine.connect() as conn:
            return MetricsSnapshot(
                tickets_opened=await _by_tier(conn, None),
                tickets_open=await _by_tier(conn, ACTIVE),
                messages=await _pairs(conn, select(messages.c.role, func.count()).group_by(messages.c.role)),
                first_response=await _first_responses(conn),
                breaches=await _breaches(conn, now),
                escalations=await _pairs(
                    conn,
                    select(escalations.c.deadline, func.count())
                    .where(escalations.c.level >= 1)
                    .group_by(escalations.c.deadline),
                ),
                csat_responses=await _csat_responses(conn),
                jobs_pending=await _pairs(
                    conn,
                    select(jobs.c.queue, func.count())
                    .where(jobs.c.status == JobStatus.PENDING.value)
                    .group_by(jobs.c.queue),
                ),
                outbox_unsent=await _count(conn, select(func.count()).where(outbox.c.sent_at.is_(None))),
            )


async def _count(conn: AsyncConnection, query: Any) -> int:
    return int((await conn.execute(query)).scalar_one())


async def _pairs(conn: AsyncConnection, query: Any) -> dict[str, int]:
    return {str(key): int(count) for key, count in (await conn.execute(query)).all()}


async def _by_tier(conn: AsyncConnection, where: Any) -> dict[tuple[str, str], int]:
    query = select(tickets.c.tier, tickets.c.priority, func.count()).group_by(tickets.c.tier, tickets.c.priority)
    if where is not None:
        query = query.where(where)
    return {(tier, priority): int(count) for tier, priority, count in (await conn.execute(query)).all()}


async def _first_responses(conn: AsyncConnection) -> ResponseHistogram:
    # Two timestamps per answered ticket; date arithmetic differs between SQLite and PostgreSQL, so the
    # subtraction and the bucketing happen here rather than in SQL.
    query = select(tickets.c.created_at, tickets.c.first_response_at).where(tickets.c.first_response_at.is_not(None))
    rows = (await conn.execute(query)).all()
    return ResponseHistogram.of([max(0.0, (answered - opened).total_seconds()) for opened, answered in rows])


async def _breaches(conn: AsyncConnection, now: datetime) -> dict[str, int]:
    first = tickets.c.first_response_due, tickets.c.first_response_at
    resolution = tickets.c.resolution_due, tickets.c.resolved_at
    found = {}
    for name, (due, done) in (("first_response", first), ("resolution", resolution)):
        late = and_(due.is_not(None), or_(done > due, and_(done.is_(None), due < now)))
        found[name] = await _count(conn, select(func.count()).select_from(tickets).where(late))
    return found


async def _csat_responses(conn: AsyncConnection) -> int | None:
    """Rated CSAT surveys, when the ``surveys`` table (migration 0008) exists; None before it does."""
    if not await conn.run_sync(_has_surveys):
        return None
    surveys = await conn.run_sync(lambda sync: Table("surveys", MetaData(), autoload_with=sync))
    query = select(func.count()).select_from(surveys).where(surveys.c.kind == "csat", surveys.c.score.is_not(None))
    return await _count(conn, query)


def _has_surveys(sync: Connection) -> bool:
    found = inspect(sync)
    if not found.has_table("surveys"):
        return False
    return {"kind", "score"} <= {column["name"] for column in found.get_columns("surveys")}
