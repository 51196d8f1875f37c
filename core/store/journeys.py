"""Onboarding journeys in SQL: a step is marked sent by a conditional UPDATE, in the transaction that queues it."""

from __future__ import annotations

from datetime import UTC
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from core.customers.journeys import JourneyState, Progress, StopReason
from core.store import rows
from core.store.base import SqlPort
from core.store.outbox_json import outbound_values
from core.store.schema import outbox
from core.store.schema_journeys import customer_journeys

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    from sqlalchemy import RowMapping

    from core.messages import Outbound

_c = customer_journeys.c


class SqlJourneyProgress(SqlPort):
    """The ``JourneyProgress`` port in a SQL database."""

    async def start(self, progress: Progress) -> bool:
        """Insert the journey; False when the person has one already (the primary key decides)."""
        try:
            async with self._write() as conn:
                await conn.execute(insert(customer_journeys).values(_values(progress)))
        except IntegrityError:  # they appeared before (or another process started it first): theirs stands
            return False
        return True

    async def get(self, person: str) -> Progress | None:
        """The person's journey, if any."""
        found = await self._read(select(customer_journeys).where(_c.person == person))
        return _progress(found[0]) if found else None

    async def active(self) -> list[Progress]:
        """Every active journey, oldest start first."""
        query = select(customer_journeys).where(_c.state == JourneyState.ACTIVE.value)
        return [_progress(r) for r in await self._read(query.order_by(_c.started_at, _c.person))]

    async def of_people(self, people: Sequence[str]) -> list[Progress]:
        """The journeys of these people, by person."""
        if not people:
            return []
        query = select(customer_journeys).where(_c.person.in_(list(people))).order_by(_c.person)
        return [_progress(r) for r in await self._read(query)]

    async def advance(self, person: str, step: int, notice: Outbound, at: datetime, *, last: bool) -> bool:
        """Move past ``step`` only if it is still the next one of an active journey, and queue its notice."""
        state = JourneyState.COMPLETED if last else JourneyState.ACTIVE
        moved = {"step": step + 1, "state": state.value, "last_sent_at": at, "updated_at": at}
        async with self._write() as conn:
            changed = await conn.execute(
                update(customer_journeys)
                .where(_c.person == person, _c.step == step, _c.state == JourneyState.ACTIVE.value)
                .values(moved)
            )
            if changed.rowcount != 1:  # another worker sent it, or the person stopped the journey meanwhile
                return False
            await conn.execute(insert(outbox).values(**outbound_values(notice), created_at=at, attempts=0))
        return True

    async def stop(self, person: str, reason: StopReason, at: datetime) -> bool:
        """Stop the person's journey if it is active."""
        stopped = {"state": JourneyState.STOPPED.value, "stop_reason": reason.value, "updated_at": at}
        async with self._write() as conn:
            changed = await conn.execute(
                update(customer_journeys)
                .where(_c.person == person, _c.state == JourneyState.ACTIVE.value)
                .values(stopped)
            )
        return bool(changed.rowcount == 1)


def _values(progress: Progress) -> dict[str, Any]:
    if progress.started_at.tzinfo is None:
        raise ValueError(f"naive datetime {progress.started_at.isoformat()} cannot be stored; give it a timezone")
    return {
        "person": progress.person,
        **rows.address_values(progress.address),
        "tier": progress.tier,
        "name": progress.name,
        "source": progress.source,
        "started_at": progress.started_at.astimezone(UTC),
        "step": progress.step,
        "state": progress.state.value,
        "stop_reason": progress.stop_reason.value if progress.stop_reason else None,
        "last_sent_at": progress.last_sent_at,
        "updated_at": progress.updated_at,
    }


def _progress(row: RowMapping) -> Progress:
    reason = row["stop_reason"]
    return Progress(
        person=row["person"],
        address=rows.address_from(row),
        tier=row["tier"],
        name=row["name"],
        source=row["source"],
        started_at=row["started_at"],
        step=row["step"],
        state=JourneyState(row["state"]),
        updated_at=row["updated_at"],
        last_sent_at=row["last_sent_at"],
        stop_reason=StopReason(reason) if reason else None,
    )
