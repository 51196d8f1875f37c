"""The sealed originals in SQL (``message_originals``): kept by thread, found by a ticket's threads, expired."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import delete, insert, or_, select

from core.privacy.originals import Original
from core.store import rows as rows_
from core.store.base import SqlPort
from core.store.schema_privacy import message_originals

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    from sqlalchemy import RowMapping

    from core.messages import Address

_c = message_originals.c


class SqlOriginals(SqlPort):
    """The ``Originals`` port in a SQL database."""

    async def keep(self, original: Original) -> None:
        """Insert one sealed original."""
        values = {**rows_.address_values(original.address), "message_id": original.message_id,
                  "author": original.author, "at": original.at, "kinds": ",".join(original.kinds),
                  "sealed": original.sealed}  # fmt: skip
        async with self._write() as conn:
            await conn.execute(insert(message_originals).values(values))

    async def in_threads(self, places: Sequence[Address]) -> list[Original]:
        """The originals written in any of ``places``, oldest first."""
        if not places:
            return []
        inside = or_(*(rows_.in_thread(message_originals, place) for place in places))
        rows = await self._read(select(message_originals).where(inside).order_by(_c.at, _c.id))
        return [_original(row) for row in rows]

    async def expire(self, before: datetime) -> int:
        """Delete what was written before ``before``."""
        async with self._write() as conn:
            done = await conn.execute(delete(message_originals).where(_c.at < before))
        return int(done.rowcount or 0)


def _original(row: RowMapping) -> Original:
    kinds = tuple(kind for kind in row["kinds"].split(",") if kind)
    return Original(rows_.address_from(row), row["message_id"], row["author"], row["at"], kinds, bytes(row["sealed"]))
