"""The self-service resolutions in SQL: one standing helpful vote per answer, read by the report."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError

from core.store import rows
from core.store.base import SqlPort
from core.store.schema import deflections

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


def _voted(address: Address, answer: str) -> Select[tuple[int]]:
    """The counted resolution of ``answer`` in its thread, if there is one."""
    return select(deflections.c.id).where(rows.in_thread(deflections, address), deflections.c.answer == answer)
