"""Platform deliveries already handled, in SQL, so a retried or duplicated one is handled once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError

from core.store import rows
from core.store.base import SqlPort
from core.store.schema import deliveries

if TYPE_CHECKING:
    from datetime import datetime


class SqlDeliveries(SqlPort):
    """The ``Deliveries`` port in a SQL database."""

    async def claim_delivery(self, platform: str, delivery_id: str, at: datetime) -> bool:
        """Record that this platform delivery is being handled; False if it was already claimed (a retry or duplicate).

        The primary key decides, so two processes cannot both claim it; raises ``ValueError`` for an id
        the column cannot hold whole.
        """
        values = rows.delivery_values(platform, delivery_id, at)
        try:
            async with self._write() as conn:
                await conn.execute(insert(deliveries).values(values))
        except IntegrityError:
            # The failed transaction is already rolled back (PostgreSQL refuses any statement after
            # the error), so whether the id is taken is asked in a fresh one.
            same = deliveries.c.platform == platform, deliveries.c.delivery_id == delivery_id
            if await self._exists(select(deliveries.c.delivery_id).where(*same)):
                return False
            raise
        return True

    async def forget_deliveries(self, before: datetime) -> int:
        """Delete delivery records older than ``before`` (platforms stop retrying after hours); returns how many."""
        async with self._write() as conn:
            forgotten = await conn.execute(delete(deliveries).where(deliveries.c.received_at < before))
        return forgotten.rowcount
