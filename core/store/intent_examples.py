"""The ``IntentExamples`` port in SQL: one labelled example per corrected ticket."""

from __future__ import annotations

from datetime import UTC
from typing import TYPE_CHECKING

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError

from core.store.base import SqlPort
from core.store.schema_understanding import intent_examples
from core.understanding.ports import IntentExample

if TYPE_CHECKING:
    from datetime import datetime

    from sqlalchemy.ext.asyncio import AsyncConnection


class SqlIntentExamples(SqlPort):
    """Moderators' intent corrections, in a SQL database."""

    async def keep(self, example: IntentExample) -> bool:
        """Keep ``example`` as its ticket's example, replacing an earlier one; True if one was replaced."""
        async with self._write() as conn:
            await self._require_ticket(conn, example.ticket)
            if await self._replace(conn, example):
                return True
            try:  # the primary key decides when two corrections of one ticket race
                async with conn.begin_nested():
                    await conn.execute(insert(intent_examples).values(ticket_id=example.ticket, **_values(example)))
                return False
            except IntegrityError:
                if not await self._replace(conn, example):
                    raise
                return True

    async def examples(self) -> list[IntentExample]:
        """Every kept example, by ticket number."""
        c = intent_examples.c
        found = await self._read(select(intent_examples).order_by(c.ticket_id))
        return [IntentExample(row["ticket_id"], row["text"], row["intent"], row["actor"], row["at"]) for row in found]

    async def latest(self) -> datetime | None:
        """When the newest example was kept (None when there are none)."""
        found = await self._read(select(func.max(intent_examples.c.at).label("latest")))
        value: datetime | None = found[0]["latest"] if found else None
        if value is not None and value.tzinfo is None:  # an aggregate may lose the column's type
            value = value.replace(tzinfo=UTC)
        return value

    async def _replace(self, conn: AsyncConnection, example: IntentExample) -> bool:
        done = await conn.execute(
            update(intent_examples).where(intent_examples.c.ticket_id == example.ticket).values(_values(example))
        )
        return bool(done.rowcount)


def _values(example: IntentExample) -> dict[str, object]:
    return {"text": example.text, "intent": example.intent, "actor": example.actor, "at": example.at}
