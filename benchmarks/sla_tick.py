"""The SLA worker's tick over many open tickets on SQLite: time when nothing is due, time with due work, memory.

Run from the repository root::

    .venv/bin/python -m benchmarks.sla_tick [--tickets 100000] [--ticks 50]

Tickets are written in bulk (rows, events and the timers the planner derives for each), then the real
``EscalationWorker`` runs passes against the real SQL store ports. Everything lives in a temporary folder.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import statistics
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from config.settings import DEFAULT_TIERS_FILE
from config.tiers import load_tiers
from core.clock import ManualClock
from core.messages import Address, Outbound
from core.sla.planner import TierPlanner
from core.sla.worker import EscalationWorker
from core.store import rows as row_values
from core.store.engine import create_engine_for, sqlite_url, writer
from core.store.migrate import upgrade_schema
from core.store.schema import sla_timers, ticket_events, tickets
from core.store.sql_store import sql_stores
from core.tickets.records import NewTicket, Priority, Ticket, TicketEvent

START = datetime(2026, 12, 1, 9, tzinfo=UTC)
PAID = ("professional", "enterprise", "white-glove")


class CountingNotifier:
    """Counts what would be sent."""

    def __init__(self) -> None:
        self.sent = 0

    async def send(self, outbound: Outbound) -> None:
        """Count one notice."""
        self.sent += 1


def _draft(n: int) -> NewTicket:
    priority = list(Priority)[n % 4]
    created = START - timedelta(minutes=n % 600)  # opened over the last ten hours
    address = Address("slack", "T1", "C1", f"{n}")
    return NewTicket(
        f"c{n % 500}", PAID[n % 3], address, f"U{n}", "User", "subject", None, priority, created, None, None
    )


async def populate(database: AsyncEngine, planner: TierPlanner, count: int) -> None:
    """Write ``count`` open tickets with their ``opened`` events and planned timers, in bulk."""
    engine = writer(database)
    for start in range(0, count, 5000):
        drafts = [_draft(n) for n in range(start, min(count, start + 5000))]
        async with engine.begin() as conn:
            await conn.execute(insert(tickets), [row_values.ticket_values(d) for d in drafts])
            found = await conn.execute(select(tickets).where(tickets.c.id > start).order_by(tickets.c.id))
            made = [row_values.ticket_from(r) for r in found.mappings()]
            events, timers = [], []
            for ticket, draft in zip(made, drafts, strict=True):
                opened = TicketEvent(
                    ticket.number, draft.created_at, "bench", "opened", row_values.opened_detail(draft)
                )
                events.append(row_values.event_values(opened))
                timers += _timers(planner, ticket, opened)
            await conn.execute(insert(ticket_events), events)
            await conn.execute(insert(sla_timers), timers)
    await sql_stores(database, planner).timers.replan(
        [], START, planner.fingerprint
    )  # record the fingerprint: no replan at the first tick


def _timers(planner: TierPlanner, ticket: Ticket, opened: TicketEvent) -> list[dict[str, Any]]:
    plan = planner.plan(ticket, [opened], set(), opened.at)
    return [
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


async def _timed(worker: EscalationWorker, ticks: int) -> list[float]:
    took = []
    for _ in range(ticks):
        began = time.perf_counter()
        await worker.run_once()
        took.append((time.perf_counter() - began) * 1000)
    return took


async def main(count: int, ticks: int) -> None:
    """Build, measure, print a Markdown table."""
    with tempfile.TemporaryDirectory() as folder:
        engine = create_engine_for(sqlite_url(Path(folder) / "bench.sqlite3"))
        try:
            await upgrade_schema(engine)
            tiers = load_tiers(DEFAULT_TIERS_FILE)
            planner = TierPlanner(tiers)
            store = sql_stores(engine, planner)
            began = time.perf_counter()
            await populate(engine, planner, count)
            built = time.perf_counter() - began
            # The earliest warning is 75% of white-glove critical's 1 h after its opening; START - 1 min is quiet.
            clock = ManualClock(START - timedelta(hours=10, minutes=1))
            notifier = CountingNotifier()
            worker = EscalationWorker(sql_stores(engine), tiers, notifier, clock, batch=500)
            await worker.run_once()  # warm the connection pool and the fingerprint check
            tracemalloc.start()
            idle = await _timed(worker, ticks)
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            async with engine.connect() as conn:
                timers = (await conn.execute(select(sla_timers.c.id))).all()
            clock.advance(timedelta(minutes=45))  # now the first warnings and reminders are due
            began = time.perf_counter()
            fired = len(await worker.run_once())
            busy = (time.perf_counter() - began) * 1000
            open_now = len(await store.tickets.list_tickets(limit=count + 1))
        finally:
            await engine.dispose()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"| open tickets | {open_now:,} (timers: {len(timers):,}; bulk-built in {built:.0f} s) |")
    print(f"| idle tick, median / p95 / max | {statistics.median(idle):.2f} / {_p95(idle):.2f} / {max(idle):.2f} ms |")
    print(f"| idle tick, Python memory allocated at peak | {peak / 1024:.0f} KiB |")
    print(f"| process peak RSS | {rss:.0f} MiB |")
    print(f"| busy tick (due work after 45 min) | {busy:.0f} ms, {notifier.sent:,} notices sent, {fired} escalations |")


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[int(0.95 * (len(ordered) - 1))]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--ticks", type=int, default=50)
    args = parser.parse_args()
    asyncio.run(main(args.tickets, args.ticks))
