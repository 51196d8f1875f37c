"""The health-score history in SQL: one row per account and day, kept unique by ``ux_customer_health_account_day``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError

from core.customers.health_history import HealthDay
from core.store.base import SqlPort
from core.store.schema_customers import customer_health

if TYPE_CHECKING:
    from datetime import date

    from sqlalchemy import RowMapping


class SqlHealthHistory(SqlPort):
    """The ``HealthHistory`` port in a SQL database."""

    async def add(self, score: HealthDay) -> bool:
        """Insert the day's score; False when the unique index says the account has one for the day."""
        try:
            async with self._write() as conn:
                await conn.execute(insert(customer_health).values(_values(score)))
        except IntegrityError:  # another worker scored the account today first; its row stands
            return False
        return True

    async def put(self, score: HealthDay) -> None:
        """Replace the account's score of the day (or add it), in one transaction."""
        c = customer_health.c
        async with self._write() as conn:
            await conn.execute(delete(customer_health).where(c.account == score.account, c.day == score.day))
            await conn.execute(insert(customer_health).values(_values(score)))

    async def history(self, account_id: str, since: date) -> list[HealthDay]:
        """The account's scores from ``since`` on, oldest first."""
        c = customer_health.c
        rows = await self._read(select(customer_health).where(c.account == account_id, c.day >= since).order_by(c.day))
        return [_day(row) for row in rows]

    async def every_history(self, since: date) -> list[HealthDay]:
        """Every account's scores from ``since`` on, by account then day (one query)."""
        c = customer_health.c
        rows = await self._read(select(customer_health).where(c.day >= since).order_by(c.account, c.day))
        return [_day(row) for row in rows]

    async def scored_on(self, day: date) -> set[str]:
        """The accounts with a score for ``day``."""
        c = customer_health.c
        return {row["account"] for row in await self._read(select(c.account).where(c.day == day))}


def _values(score: HealthDay) -> dict[str, object]:
    return {
        "account": score.account,
        "day": score.day,
        "score": score.score,
        "category": score.category,
        "missing": ",".join(score.missing),
        "computed_at": score.computed_at,
    }


def _day(row: RowMapping) -> HealthDay:
    missing = tuple(name for name in str(row["missing"]).split(",") if name)
    return HealthDay(row["account"], row["day"], row["score"], row["category"], missing, row["computed_at"])
