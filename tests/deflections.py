"""What the self-service votes left counted, read from any store (the report reads them joined to answers)."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from core.analytics.records import ReportQuery
from core.store.schema import deflections
from core.store.statistics import SqlStatistics
from tests.store_fakes import InMemoryStatistics

if TYPE_CHECKING:
    from datetime import datetime

    from core.stores import Stores


async def counted_deflections(stores: Stores) -> int:
    """How many resolutions the ``Statistics`` port keeps: the rows of ``deflections`` (or the fake's list)."""
    statistics = stores.statistics
    if isinstance(statistics, InMemoryStatistics):
        return len(statistics.state.deflections)
    assert isinstance(statistics, SqlStatistics), type(statistics)
    async with statistics._engine.connect() as conn:
        return int((await conn.execute(select(func.count()).select_from(deflections))).scalar_one())


async def helpful_answers(stores: Stores, around: datetime) -> int:
    """The bot's answers within a day of ``around`` whose standing vote says they helped, as the report counts."""
    query = ReportQuery(around - timedelta(days=1), around + timedelta(days=1))
    return sum(answer.helpful for answer in await stores.reports.answers(query))
