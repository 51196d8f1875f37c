"""The read model behind the support lead's numbers, in SQL, and the self-service resolutions it counts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import IntegrityError

from core.store import rows
from core.store.base import ACTIVE, SqlPort
from core.store.schema import deflections, tickets
from core.tickets.records import FirstResponse, Priority

if TYPE_CHECKING:
    from datetime import datetime

    from sqlalchemy import Select

    from core.messages import Address


class SqlStatistics(SqlPort):
    """The ``Statistics`` port in a SQL database."""

    async def record_deflection(
        self, address: Address, question: str, url: str, at: datetime, *, answer: str | None = None
    ) -> None:
        """Count a question the knowledge base answered to the customer's satisfaction, once per ``answer``."""
        values = {**rows.address_values(address), "question": question, "url": url, "at": at, "answer": answer}
        async with self._write() as conn:
            if answer is not None and (await conn.execute(_voted(address, answer))).first() is not None:
                return
            try:  # the unique index decides when two presses race
                async with conn.begin_nested():
                    await conn.execute(insert(deflections).values(values))
            except IntegrityError:
                if answer is None or (await conn.execute(_voted(address, answer))).first() is None:
                    raise

    async def withdraw_deflection(self, address: Address, answer: str) -> None:
        """The customer's latest vote says ``answer`` did not help: it no longer counts (if it did)."""
        async with self._write() as conn:
            await conn.execute(
                delete(deflections).where(rows.in_thread(deflections, address), deflections.c.answer == answer)
            )

    async def open_counts(self) -> dict[tuple[str, Priority], int]:
        """Active tickets by ``(tier, priority)``."""
        query = (
            select(tickets.c.tier, tickets.c.priority, func.count().label("count"))
            .where(ACTIVE)
            .group_by(tickets.c.tier, tickets.c.priority)
        )
        return {(row["tier"], Priority(row["priority"])): row["count"] for row in await self._read(query)}

    async def first_responses(self) -> list[FirstResponse]:
        """Every ticket's opening time, first-response deadline and first response, for statistics."""
        columns = tickets.c.tier, tickets.c.created_at, tickets.c.first_response_due, tickets.c.first_response_at
        found = await self._read(select(*columns).order_by(tickets.c.id))
        return [
            FirstResponse(row["tier"], row["created_at"], row["first_response_due"], row["first_response_at"])
            for row in found
        ]

    async def deflection_count(self) -> int:
        """How many questions were resolved by self-service."""
        found = await self._read(select(func.count().label("count")).select_from(deflections))
        return int(found[0]["count"])


def _voted(address: Address, answer: str) -> Select[tuple[int]]:
    """The counted resolution of ``answer`` in its thread, if there is one."""
    return select(deflections.c.id).where(rows.in_thread(deflections, address), deflections.c.answer == answer)
