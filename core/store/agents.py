"""The ``AgentPresence`` port in SQL: an upsert per change, so two processes never disagree for long."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from core.store.base import SqlPort
from core.store.schema_agents import agent_presence

if TYPE_CHECKING:
    from datetime import datetime

    from sqlalchemy.ext.asyncio import AsyncConnection

_c = agent_presence.c


class SqlAgentPresence(SqlPort):
    """Agents' away flags and last assignments."""

    async def set_away(self, identity: str, away: bool, at: datetime) -> bool:
        """Mark ``identity`` away or back; False when nothing changed."""
        async with self._write() as conn:
            changed = await conn.execute(
                update(agent_presence).where(_c.identity == identity, _c.away != away).values(away=away, changed_at=at)
            )
            if changed.rowcount:
                return True
            return await _insert(conn, identity, away=away, changed_at=at) and away

    async def away(self) -> frozenset[str]:
        """Who is away."""
        return frozenset(row["identity"] for row in await self._read(select(_c.identity).where(_c.away.is_(True))))

    async def assigned(self, identity: str, at: datetime) -> None:
        """Note the moment of an automatic assignment."""
        async with self._write() as conn:
            done = await conn.execute(update(agent_presence).where(_c.identity == identity).values(last_assigned_at=at))
            if not done.rowcount:
                await _insert(conn, identity, away=False, last_assigned_at=at)

    async def last_assigned(self) -> dict[str, datetime]:
        """When each agent was last assigned automatically."""
        rows = await self._read(select(_c.identity, _c.last_assigned_at).where(_c.last_assigned_at.is_not(None)))
        return {row["identity"]: row["last_assigned_at"] for row in rows}

    async def change(
        self, identity: str, *, capacity: int | None = None, skills: tuple[str, ...] | None = None
    ) -> None:
        """Keep a lead's change."""
        values: dict[str, object] = {}
        if capacity is not None:
            values["capacity"] = capacity
        if skills is not None:
            values["skills"] = ",".join(skills)
        if not values:
            return
        async with self._write() as conn:
            done = await conn.execute(update(agent_presence).where(_c.identity == identity).values(**values))
            if not done.rowcount:
                await _insert(conn, identity, away=False, **values)

    async def changes(self) -> dict[str, tuple[int | None, tuple[str, ...] | None]]:
        """The kept changes."""
        rows = await self._read(select(_c.identity, _c.capacity, _c.skills))
        return {
            row["identity"]: (
                row["capacity"],
                None if row["skills"] is None else tuple(filter(None, row["skills"].split(","))),
            )
            for row in rows
            if row["capacity"] is not None or row["skills"] is not None
        }


async def _insert(conn: AsyncConnection, identity: str, **values: object) -> bool:
    """Insert the agent's first row; False when it exists (another process made it, or nothing was to change)."""
    try:
        async with conn.begin_nested():
            await conn.execute(agent_presence.insert().values(identity=identity, **values))
    except IntegrityError:
        return False
    return True
