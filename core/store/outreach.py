"""Proactive outreach in SQL: an occurrence once per account and key (``ux_outreach_occurrences_key``), its
actions on the account's timeline, and their notices queued in the outbox in the same transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError

from core.customers.outreach_steps import OutreachRecord, OutreachStatus
from core.store.base import SqlPort
from core.store.outbox_json import outbound_from, outbound_values
from core.store.schema import outbox
from core.store.schema_customers import customer_accounts, outreach_occurrences, outreach_records

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from datetime import datetime

    from sqlalchemy import RowMapping
    from sqlalchemy.ext.asyncio import AsyncConnection

    from core.customers.outreach import Occurrence
    from core.customers.outreach_steps import OutreachStep
    from core.messages import Outbound

_COUNTED = (OutreachStatus.SENT.value, OutreachStatus.DEFERRED.value)  # what the throttle counts
_o, _r = outreach_occurrences.c, outreach_records.c
_TIMELINE = select(outreach_records, _o.playbook, _o.trigger, _o.occurrence).join(
    outreach_occurrences, _o.id == _r.occurrence_id
)


class SqlOutreachRecords(SqlPort):
    """The ``OutreachRecords`` port in a SQL database."""

    async def occur(
        self, occurrence: Occurrence, at: datetime, since: datetime, plan: Callable[[int], Sequence[OutreachStep]]
    ) -> list[OutreachRecord] | None:
        """Insert the occurrence, its records and their notices together; None when the unique index refuses it."""
        try:
            async with self._write() as conn:
                # The account's row is locked first, so two workers count its recent messages one after the other.
                await conn.execute(
                    select(customer_accounts.c.id).where(customer_accounts.c.id == occurrence.account).with_for_update()
                )
                values = {
                    "account": occurrence.account,
                    "playbook": occurrence.playbook,
                    "trigger": occurrence.trigger.value,
                    "occurrence": occurrence.key,
                    "reason": occurrence.reason,
                    "at": at,
                }
                number = int(
                    (await conn.execute(insert(outreach_occurrences).values(values).returning(_o.id))).scalar_one()
                )
                recent = await conn.execute(
                    select(func.count())
                    .select_from(outreach_records)
                    .where(
                        _r.account == occurrence.account,
                        _r.action == "message",
                        _r.status.in_(_COUNTED),
                        _r.at >= since,
                    )
                )
                for step in plan(int(recent.scalar_one())):
                    await self._keep(conn, number, occurrence.account, step, at)
                found = await conn.execute(_TIMELINE.where(_r.occurrence_id == number).order_by(_r.id))
                return [_record(row) for row in found.mappings()]
        except IntegrityError:  # another worker (or an earlier pass) recorded this occurrence; its rows stand
            return None

    async def _keep(self, conn: AsyncConnection, number: int, account: str, step: OutreachStep, at: datetime) -> None:
        sent = step.status is OutreachStatus.SENT and step.notice is not None
        row: dict[str, Any] = {
            "occurrence_id": number,
            "account": account,
            "action": step.action.value,
            "audience": step.audience.value,
            "target": step.target,
            "text": step.text,
            "status": step.status.value,
            "at": at,
            "due_at": step.due_at,
            "sent_at": at if sent else None,
        }
        if step.status is OutreachStatus.DEFERRED and step.notice is not None:
            row.update(outbound_values(step.notice))
        await conn.execute(insert(outreach_records).values(row))
        if sent and step.notice is not None:
            await _enqueue(conn, step.notice, at)

    async def occurred(self, account: str) -> set[tuple[str, str]]:
        """The account's occurrences as (playbook, key)."""
        found = await self._read(select(_o.playbook, _o.occurrence).where(_o.account == account))
        return {(row["playbook"], row["occurrence"]) for row in found}

    async def release(self, now: datetime, limit: int = 100) -> list[OutreachRecord]:
        """Move due deferred messages to sent by a conditional UPDATE each, queueing the notice only if it changed."""
        waiting = _r.status == OutreachStatus.DEFERRED.value, _r.due_at <= now
        if not await self._read(select(_r.id).where(*waiting).limit(1)):
            return []
        released: list[int] = []
        async with self._write() as conn:
            due = list(
                (await conn.execute(select(outreach_records).where(*waiting).order_by(_r.id).limit(limit))).mappings()
            )
            for row in due:
                changed = await conn.execute(
                    update(outreach_records)
                    .where(_r.id == row["id"], _r.status == OutreachStatus.DEFERRED.value)
                    .values(status=OutreachStatus.SENT.value, sent_at=now)
                )
                if changed.rowcount != 1:  # another worker released it first
                    continue
                await _enqueue(conn, outbound_from(row["address"], row["payload"]), now)
                released.append(row["id"])
            if not released:
                return []
            found = await conn.execute(_TIMELINE.where(_r.id.in_(released)).order_by(_r.id))
            return [_record(r) for r in found.mappings()]

    async def timeline(self, account: str, limit: int = 50) -> list[OutreachRecord]:
        """The account's records, newest first."""
        query = _TIMELINE.where(_r.account == account).order_by(_r.at.desc(), _r.id.desc()).limit(limit)
        return [_record(row) for row in await self._read(query)]


async def _enqueue(conn: AsyncConnection, notice: Outbound, at: datetime) -> None:
    await conn.execute(insert(outbox).values(**outbound_values(notice), created_at=at, attempts=0))


def _record(row: RowMapping) -> OutreachRecord:
    return OutreachRecord(
        id=row["id"],
        account=row["account"],
        playbook=row["playbook"],
        trigger=row["trigger"],
        occurrence=row["occurrence"],
        action=row["action"],
        audience=row["audience"],
        target=row["target"],
        text=row["text"],
        status=row["status"],
        at=row["at"],
        due_at=row["due_at"],
        sent_at=row["sent_at"],
    )
