"""Digest periods in SQL: the claim and its outbox notices in one transaction, unique per period."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from core.store.base import SqlPort
from core.store.outbox_json import outbound_values
from core.store.schema import digest_runs, outbox

if TYPE_CHECKING:
    from datetime import datetime

    from core.messages import Outbound


class SqlDigestRuns(SqlPort):
    """The ``DigestRuns`` port in a SQL database."""

    async def claimed(self, period_key: str) -> bool:
        """Whether some worker already claimed the period."""
        return await self._exists(select(digest_runs.c.period_key).where(digest_runs.c.period_key == period_key))

    async def claim(self, period_key: str, owner: str, now: datetime, notices: Sequence[Outbound] = ()) -> bool:
        """Claim the period and queue ``notices`` in the outbox, together; False if it was already claimed."""
        try:
            async with self._write() as conn:
                await conn.execute(insert(digest_runs).values(period_key=period_key, owner=owner, claimed_at=now))
                for notice in notices:
                    await conn.execute(insert(outbox).values(**outbound_values(notice), created_at=now, attempts=0))
        except IntegrityError:  # the primary key: another worker claimed it first, and its transaction holds
            return False
        return True
