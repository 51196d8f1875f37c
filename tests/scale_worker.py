"""An escalation worker process for the scale-out tests, and the bulk data those tests give it.

Run as ``python -m tests.scale_worker DATABASE_URL TIERS_FILE [--lease S] [--batch N] [--hang-after-claim FILE]``.
It runs the real ``EscalationWorker`` over the real SQL store ports (opened the way ``helpline serve`` opens
it) until no due SLA action is left unfired and no notice unsent, then exits 0. Each notice is "delivered" by
inserting a row into the ``received`` table, a countable sink that is not part of the outbox's own bookkeeping.
With ``--hang-after-claim`` the process writes the ids of its first claimed batch to FILE and then stops
working, holding the lease, so a test can SIGKILL it between ``claim_due`` and ``complete_due``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Column, Integer, MetaData, String, Table, Text, func, insert, select

from config.tiers import load_tiers
from core.clock import SystemClock
from core.messages import Address, Outbound
from core.sla.planner import TierPlanner
from core.sla.worker import EscalationWorker
from core.store import rows as row_values
from core.store.engine import create_engine_for, writer
from core.store.schema import outbox, sla_timers, ticket_events, tickets
from core.store.sql_store import sql_stores
from core.store.timers import SqlSlaTimers
from core.tickets.records import NewTicket, Priority, TicketEvent

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

    from core.sla.records import DueWork
    from core.store.planning import Planning

# One 24x7 tier: a first-response warning (at 45 min) and one escalation level (at 1 h) are due for a ticket
# opened two hours ago; the resolution clock (4 weeks) is nowhere near, so exactly two actions fire per ticket.
TIERS = """\
version: 1
default_tier: gold
sla: {warning_share: 75%, critical_reminder: null, stale_after: null}
tiers:
  gold:
    hours: 24x7
    first_response: {critical: 1h, high: 1h, medium: 1h, low: 1h}
    resolution: {critical: 4w, high: 4w, medium: 4w, low: 4w}
    escalation: {target: console, contact: the on-call lead}
    channels: [console]
"""
DUE_PER_TICKET = 2
BULK = 5000

received = Table(
    "received",
    MetaData(),
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("worker", String(128), nullable=False),
    Column("ticket", Integer, nullable=True),
    Column("kind", String(32), nullable=False),
    Column("text", Text, nullable=False),
)


class TableNotifier:
    """Delivers a notice by inserting it into ``received``: each send is one row, so duplicates show."""

    def __init__(self, engine: AsyncEngine, worker: str) -> None:
        self._engine = writer(engine)
        self.worker = worker

    async def send(self, outbound: Outbound) -> None:
        """Record the notice as delivered."""
        reply = outbound.reply
        values = {"worker": self.worker, "ticket": reply.ticket, "kind": reply.kind.value, "text": reply.text}
        async with self._engine.begin() as conn:
            await conn.execute(insert(received).values(values))


class HangingTimers(SqlSlaTimers):
    """Timers whose first non-empty claim is written to a file and then never completed: a stuck worker."""

    def __init__(self, engine: AsyncEngine, planning: Planning, report: Path) -> None:
        super().__init__(engine, planning)
        self._report = report

    async def claim_due(self, now: datetime, limit: int, owner: str, lease: timedelta) -> list[DueWork]:
        """Claim as usual; if anything was claimed, report it and wait forever (until killed)."""
        found = await super().claim_due(now, limit, owner, lease)
        if found:
            claim = {"owner": owner, "ids": [w.id for w in found], "lease_until": found[0].lease_until.isoformat()}
            partial = self._report.with_suffix(".part")
            partial.write_text(json.dumps(claim), encoding="utf-8")
            partial.replace(self._report)  # the test never reads half a file
            await asyncio.Event().wait()
        return found


def draft(n: int, opened: datetime) -> NewTicket:
    """The ``n``-th test ticket."""
    address = Address("console", channel=f"c{n}")
    priority = list(Priority)[n % 4]
    return NewTicket(
        f"acme{n % 50}", "gold", address, f"u{n}", "Ada", f"ticket {n}", None, priority, opened, None, None
    )


async def populate(engine: AsyncEngine, planner: TierPlanner, count: int, opened: datetime) -> None:
    """Write ``count`` open tickets with their ``opened`` events and planned timers in bulk, plus the sink table."""
    async with writer(engine).begin() as conn:
        await conn.run_sync(received.metadata.create_all)
    for start in range(0, count, BULK):
        drafts = [draft(n, opened) for n in range(start, min(count, start + BULK))]
        async with writer(engine).begin() as conn:
            made = await conn.execute(
                insert(tickets).returning(*tickets.c, sort_by_parameter_order=True),
                [row_values.ticket_values(d) for d in drafts],
            )
            events: list[dict[str, Any]] = []
            timers: list[dict[str, Any]] = []
            for row, made_from in zip(made.mappings(), drafts, strict=True):
                ticket = row_values.ticket_from(row)
                detail = row_values.opened_detail(made_from)
                opened_event = TicketEvent(ticket.number, opened, "test", row_values.OPENED, detail)
                events.append(row_values.event_values(opened_event))
                plan = planner.plan(ticket, [opened_event], set(), opened)
                timers += [
                    {
                        "ticket_id": ticket.number,
                        "action": a.action.value,
                        "clock": a.clock,
                        "instance": a.instance,
                        "level": a.level,
                        "due_at": a.due,
                    }
                    for a in plan.actions
                ]
            await conn.execute(insert(ticket_events), events)
            await conn.execute(insert(sla_timers), timers)
    # The fingerprint: workers starting on this database plan nothing again.
    await sql_stores(engine, planner).timers.replan([], opened, planner.fingerprint)


async def work_left(engine: AsyncEngine, now: datetime) -> int:
    """Due actions not yet fired plus notices not yet sent."""
    async with engine.connect() as conn:
        due = select(func.count()).where(sla_timers.c.fired_at.is_(None), sla_timers.c.due_at <= now)
        unsent = select(func.count()).select_from(outbox).where(outbox.c.sent_at.is_(None))
        return int((await conn.execute(due)).scalar_one()) + int((await conn.execute(unsent)).scalar_one())


async def main(url: str, tiers_file: Path, lease: float, batch: int, hang: Path | None) -> None:
    """Work until nothing due is left."""
    engine = create_engine_for(url)
    stores = sql_stores(engine)
    if hang is not None:
        assert isinstance(stores.timers, SqlSlaTimers)  # its planning is shared with the ticket writers
        stores = replace(stores, timers=HangingTimers(engine, stores.timers.planning, hang))
    clock = SystemClock()
    worker = EscalationWorker(
        stores,
        load_tiers(tiers_file),
        TableNotifier(engine, f"pid {os.getpid()}"),
        clock,
        batch=batch,
        lease=timedelta(seconds=lease),
        retry=timedelta(),
    )
    try:
        while await work_left(engine, clock.now()):
            await worker.run_once()
            await asyncio.sleep(0.05)  # leased work of a peer: look again shortly
    finally:
        await engine.dispose()


def opened_two_hours_ago() -> datetime:
    """When the test tickets were opened: both their first-response actions are due now."""
    return datetime.now(UTC) - timedelta(hours=2)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("tiers", type=Path)
    parser.add_argument("--lease", type=float, default=120.0)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--hang-after-claim", type=Path, default=None)
    args = parser.parse_args()
    asyncio.run(main(args.url, args.tiers, args.lease, args.batch, args.hang_after_claim))
