"""The dashboard's queue page over 10,000 open tickets on SQLite, rendered server-side through the real app.

Run from the repository root::

    /work/venv/bin/python -m benchmarks.queue_page [--tickets 10000] [--runs 30]

The tickets are bulk-inserted (not through the desk) into a migrated SQLite file: every priority and tier,
a third assigned, some waiting on the customer, deadlines spread from two hours ago to two days ahead. Then
it times ``GET /dashboard/queue`` (the gate, the store's page and count, Jinja2 rendering 100 rows) through
the dashboard's ASGI routes in this process, unfiltered and with filters, and the store query alone.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import insert
from starlette.applications import Starlette

from bots.web.app import dashboard_routes
from bots.web.deps import DashboardDeps
from config.settings import Settings
from config.tiers import load_tiers
from core.analytics.policy import ReportPolicy
from core.clock import ManualClock
from core.desk.context import Moderators
from core.store.engine import create_engine_for, sqlite_url, writer
from core.store.migrate import upgrade_schema
from core.store.schema import tickets
from core.store.sql_store import sql_stores
from core.tickets.queue import QueueQuery
from tests.desk_fakes import RecordingNotifier, fake_system
from tests.staff_fakes import staff_fakes
from tests.web_fakes import FixedGate, viewer

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
PRIORITIES = ("critical", "high", "medium", "low")
TIERS = ("community", "standard", "enterprise")
CHUNK = 2000


def _rows(count: int) -> list[dict[str, Any]]:
    """``count`` open tickets with deadlines spread around ``NOW``."""
    out = []
    for n in range(1, count + 1):
        opened = NOW - timedelta(minutes=n % 2880)
        waiting = n % 7 == 0
        answered = n % 3 == 0
        out.append(
            {"id": n, "customer": f"c{n % 300}", "tier": TIERS[n % 3], "platform": ("discord", "slack")[n % 2],
             "workspace": "w", "channel": "c", "thread": f"{n}.1", "requester_id": f"U{n}",
             "requester_name": f"Customer {n}", "subject": f"Problem number {n} with the app",
             "intent": "bug_report", "priority": PRIORITIES[n % 4],
             "status": "waiting_on_customer" if waiting else ("open" if answered else "new"),
             "assignee": f"discord:agent{n % 12}" if n % 3 == 0 else None,
             "created_at": opened, "updated_at": opened,
             "first_response_due": NOW + timedelta(minutes=(n * 37) % 2880 - 120),
             "first_response_at": opened + timedelta(minutes=5) if answered else None,
             "resolution_due": None if waiting else NOW + timedelta(minutes=(n * 53) % 2880),
             "next_response_due": NOW + timedelta(minutes=(n * 11) % 600 - 60) if answered and not waiting else None,
             "resolved_at": None, "language": "en", "frustrated": False}
        )  # fmt: skip
    return out


async def _timed(runs: int, work: Any) -> list[float]:
    await work()  # warm: templates compiled, statements cached
    found = []
    for _ in range(runs):
        start = time.perf_counter()
        await work()
        found.append((time.perf_counter() - start) * 1000)
    return found


def _line(name: str, ms: list[float]) -> str:
    ordered = sorted(ms)
    p95 = ordered[max(0, round(len(ordered) * 0.95) - 1)]
    return f"| {name} | {statistics.median(ms):.1f} | {p95:.1f} | {max(ms):.1f} |"


async def main(count: int, runs: int) -> None:
    """Fill, then time the page and the query; prints a Markdown table."""
    with tempfile.TemporaryDirectory() as folder:
        engine = create_engine_for(sqlite_url(Path(folder) / "queue.sqlite3"))
        await upgrade_schema(engine)
        started = time.perf_counter()
        rows = _rows(count)
        async with writer(engine).begin() as conn:
            for start in range(0, len(rows), CHUNK):
                await conn.execute(insert(tickets), rows[start : start + CHUNK])
        filled = time.perf_counter() - started
        stores = sql_stores(engine)
        clock = ManualClock(NOW)
        tiers = load_tiers(Settings().support.tiers_file)
        system = fake_system(
            Settings(),
            tiers=tiers,
            stores=stores,
            notifier=RecordingNotifier(),
            clock=clock,
            moderators=Moderators(frozenset({"moderator"})),
        )
        staff, sessions = staff_fakes()
        deps = DashboardDeps(
            system.desk, stores, staff, sessions, clock, tiers, FixedGate(viewer()), ReportPolicy(), ""
        )
        app = Starlette(routes=dashboard_routes(deps))
        transport = httpx.ASGITransport(app=app)
        lines = []
        async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
            for name, path in (
                ("queue page, no filter (100 of all rows)", "/dashboard/queue"),
                ("queue page, breaches within 1 h", "/dashboard/queue?soon=1"),
                ("queue page, unassigned enterprise", "/dashboard/queue?assignee=unassigned&tier=enterprise"),
                ("queue page, page 50", "/dashboard/queue?page=50"),
                ("rows fragment (what polling fetches)", "/dashboard/queue/rows"),
            ):

                async def get(path: str = path) -> None:
                    response = await client.get(path)
                    assert response.status_code == 200, response.text[:500]

                lines.append(_line(name, await _timed(runs, get)))

        async def query() -> None:
            await stores.queue.page(QueueQuery(limit=100), NOW)

        lines.append(_line("store query alone (page + count)", await _timed(runs, query)))
        total = (await stores.queue.page(QueueQuery(limit=1), NOW)).total
        await engine.dispose()
    print(f"{count:,} open tickets ({total:,} active) bulk-inserted in {filled:.1f} s; {runs} runs each\n")
    print("| request | median ms | p95 ms | max ms |\n|---|---|---|---|")
    print("\n".join(lines))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=30)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.tickets, arguments.runs))
