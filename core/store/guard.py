"""The spam guard's audit log in SQL: each action one row, each incident's notice queued once in the outbox, in
the transaction that records the action."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from core.community.records import GuardAction
from core.store.base import SqlPort
from core.store.outbox_json import outbound_values
from core.store.schema import outbox
from core.store.schema_guard import guard_actions, guard_incidents

if TYPE_CHECKING:
    from sqlalchemy import RowMapping
    from sqlalchemy.ext.asyncio import AsyncConnection

    from core.messages import Outbound


class SqlGuardLog(SqlPort):
    """The ``GuardLog`` port in a SQL database."""

    async def record(self, action: GuardAction, notice: Outbound | None) -> GuardAction:
        """Keep ``action``; queue ``notice`` only if its incident has had none yet."""
        try:
            async with self._write() as conn:
                notified = notice is not None and await self._claim(conn, action, notice)
                await conn.execute(insert(guard_actions).values(_values(action, notified=notified)))
        except IntegrityError:  # another worker told the moderators of this incident just now
            notified = False
            async with self._write() as conn:
                await conn.execute(insert(guard_actions).values(_values(action, notified=False)))
        return replace(action, notified=notified)

    async def latest(self, member: str) -> GuardAction | None:
        """The newest action about ``member``."""
        query = select(guard_actions).where(guard_actions.c.member == member)
        query = query.order_by(guard_actions.c.at.desc(), guard_actions.c.id.desc()).limit(1)
        rows = await self._read(query)
        return _action(rows[0]) if rows else None

    async def actions(self, limit: int = 20) -> list[GuardAction]:
        """The newest ``limit`` actions, newest first."""
        query = select(guard_actions).order_by(guard_actions.c.at.desc(), guard_actions.c.id.desc()).limit(limit)
        return [_action(row) for row in await self._read(query)]

    async def _claim(self, conn: AsyncConnection, action: GuardAction, notice: Outbound) -> bool:
        told = select(guard_incidents.c.incident).where(guard_incidents.c.incident == action.incident)
        if (await conn.execute(told)).first() is not None:
            return False
        await conn.execute(insert(guard_incidents).values(incident=action.incident, notified_at=action.at))
        await conn.execute(insert(outbox).values(**outbound_values(notice), created_at=action.at, attempts=0))
        return True


def _values(action: GuardAction, *, notified: bool) -> dict[str, Any]:
    return {
        "at": action.at,
        "member": action.member,
        "place": action.place,
        "message_id": action.message_id,
        "rule": action.rule,
        "acts": ",".join(action.acts),
        "evidence": action.evidence,
        "incident": action.incident,
        "notified": notified,
    }


def _action(row: RowMapping) -> GuardAction:
    acts = tuple(act for act in str(row["acts"]).split(",") if act)
    return GuardAction(
        row["at"],
        row["member"],
        row["place"],
        row["message_id"],
        row["rule"],
        acts,
        row["evidence"],
        row["incident"],
        bool(row["notified"]),
    )
