"""Planning a ticket's SLA timers again from its audit log, inside the transaction that changed it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import delete, insert, select, update

from core.sla.plan import ActionKey, ActionKind
from core.store import rows
from core.store.schema import sla_timers, ticket_events, tickets

if TYPE_CHECKING:
    from datetime import datetime

    from sqlalchemy import RowMapping
    from sqlalchemy.ext.asyncio import AsyncConnection

    from core.sla.plan import DueAction
    from core.sla.ports import SlaPlanner


def timer_key(row: RowMapping) -> ActionKey:
    """The action key of an ``sla_timers`` row."""
    return (ActionKind(row["action"]), row["clock"], row["instance"], row["level"])


class Planning:
    """The planner in use, shared by the SQL ports of one database (set by ``SqlSlaTimers.use_planner``)."""

    def __init__(self, planner: SlaPlanner | None = None) -> None:
        self.planner = planner

    async def replan(self, conn: AsyncConnection, number: int, now: datetime) -> None:
        """Derive the ticket's deadlines and due work again; keep fired rows, move or drop pending ones."""
        if self.planner is None:
            return
        # FOR UPDATE serialises plans of one ticket on PostgreSQL; SQLite's write lock already does.
        found = (await conn.execute(select(tickets).where(tickets.c.id == number).with_for_update())).mappings()
        row = found.one_or_none()
        if row is None:
            return
        ticket = rows.ticket_from(row)
        log = await conn.execute(
            select(ticket_events)
            .where(ticket_events.c.ticket_id == number)
            .order_by(ticket_events.c.at, ticket_events.c.id)
        )
        events = [rows.event_from(r) for r in log.mappings()]
        timers = list((await conn.execute(select(sla_timers).where(sla_timers.c.ticket_id == number))).mappings())
        fired = {timer_key(t) for t in timers if t["fired_at"] is not None}
        result = self.planner.plan(ticket, events, fired, now)
        deadlines = {
            "first_response_due": result.first_response_due,
            "resolution_due": result.resolution_due,
            "next_response_due": result.next_response_due,
        }
        if any(row[name] != value for name, value in deadlines.items()):
            await conn.execute(update(tickets).where(tickets.c.id == number).values(deadlines))
        await _move_timers(conn, number, timers, fired, {action.key: action for action in result.actions})


async def _move_timers(
    conn: AsyncConnection,
    number: int,
    timers: list[RowMapping],
    fired: set[ActionKey],
    wanted: dict[ActionKey, DueAction],
) -> None:
    """Insert the newly wanted timers, move the pending ones whose time changed, delete those no longer wanted."""
    pending = {timer_key(t): t for t in timers if t["fired_at"] is None}
    gone = [t["id"] for key, t in pending.items() if key not in wanted]
    if gone:
        await conn.execute(delete(sla_timers).where(sla_timers.c.id.in_(gone)))
    for key, action in wanted.items():
        if key in fired:
            continue
        if key not in pending:
            values = {"ticket_id": number, "action": key[0].value, "clock": key[1], "instance": key[2]}
            await conn.execute(insert(sla_timers).values(**values, level=key[3], due_at=action.due))
        elif pending[key]["due_at"] != action.due:
            await conn.execute(
                update(sla_timers).where(sla_timers.c.id == pending[key]["id"]).values(due_at=action.due)
            )
