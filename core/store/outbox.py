"""The outbox in SQL: notifications written with the firing that caused them, then sent and retried by a worker."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, or_, select, update

from core.sla.records import OutboxItem
from core.store import rows
from core.store.base import SqlPort
from core.store.outbox_json import outbound_from
from core.store.schema import outbox, ticket_events

if TYPE_CHECKING:
    from datetime import datetime, timedelta

    from sqlalchemy import RowMapping, Select


def ready_notices(now: datetime, limit: int, *, lock: bool = True) -> Select[Any]:
    """Unsent outbox rows whose lease or retry time has passed, oldest first, locked for this transaction."""
    ready = outbox.c.sent_at.is_(None), or_(outbox.c.lease_until.is_(None), outbox.c.lease_until <= now)
    query = select(outbox).where(*ready).order_by(outbox.c.id).limit(limit)
    return query.with_for_update(skip_locked=True) if lock else query


class SqlOutbox(SqlPort):
    """The ``Outbox`` port in a SQL database."""

    async def claim_outbox(self, now: datetime, limit: int, owner: str, lease: timedelta) -> list[OutboxItem]:
        """Lease up to ``limit`` unsent notifications (oldest first) whose lease or retry time has passed."""
        if not await self._read(ready_notices(now, 1, lock=False).with_only_columns(outbox.c.id)):
            return []
        async with self._write() as conn:
            found = list((await conn.execute(ready_notices(now, limit))).mappings())
            if found:
                ids = [r["id"] for r in found]
                leased = {"lease_owner": owner, "lease_until": now + lease}
                await conn.execute(update(outbox).where(outbox.c.id.in_(ids)).values(leased))
        return [_item(r) for r in found]

    async def outbox_sent(self, item: int, now: datetime) -> None:
        """Mark a notification delivered."""
        async with self._write() as conn:
            sent = {"sent_at": now, "lease_owner": None, "lease_until": None}
            await conn.execute(update(outbox).where(outbox.c.id == item, outbox.c.sent_at.is_(None)).values(sent))

    async def outbox_failed(self, item: int, now: datetime, reason: str, retry_at: datetime) -> None:
        """Record a failed delivery (and an event on its ticket); it is tried again from ``retry_at``."""
        async with self._write() as conn:
            found = (await conn.execute(select(outbox).where(outbox.c.id == item))).mappings().one_or_none()
            if found is None or found["sent_at"] is not None:
                return
            retry = {
                "attempts": found["attempts"] + 1,
                "last_error": reason,
                "lease_owner": None,
                "lease_until": retry_at,
            }
            await conn.execute(update(outbox).where(outbox.c.id == item).values(retry))
            if found["ticket_id"] is not None:
                event = rows.failed_notice_event(found["ticket_id"], now, found["payload"], reason)
                await conn.execute(insert(ticket_events).values(rows.event_values(event)))

    async def outbox(self, number: int | None = None) -> list[OutboxItem]:
        """Every notification queued for a ticket (all when None), oldest first, sent or not."""
        query = select(outbox).order_by(outbox.c.id)
        if number is not None:
            query = query.where(outbox.c.ticket_id == number)
        return [_item(r) for r in await self._read(query)]


def _item(row: RowMapping) -> OutboxItem:
    return OutboxItem(
        row["id"], row["ticket_id"], outbound_from(row["address"], row["payload"]), row["attempts"], row["sent_at"]
    )
