"""Webhook-like events per second against the ticket store: 1, 2 and 4 processes on PostgreSQL, 1 on SQLite.

Run from the repository root::

    .venv/bin/python -m benchmarks.store_throughput [--events 2000] [--concurrency 8]

Each event is what a web process does with a platform delivery before the model is involved:
claim the delivery id (``claim_delivery``) and, when the claim succeeds, open a ticket for it
(``open_ticket``). One event in ten is a redelivery of an earlier id, which must be refused.
Every process runs ``--concurrency`` events at once, as a web server handles concurrent
requests. PostgreSQL is a throw-away pgserver, or the server in ``$HELPLINE_BENCH_POSTGRES_URL``.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import platform
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from core.messages import Address
from core.store.engine import create_engine_for, sqlite_url
from core.store.migrate import upgrade_schema
from core.store.sql_store import sql_stores
from core.tickets.records import NewTicket, Priority
from tests import postgres

ENV_URL = "HELPLINE_BENCH_POSTGRES_URL"
REDELIVERY_EVERY = 10
T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Result:
    """One run: how many processes, events handled, tickets opened and the wall time."""

    engine: str
    processes: int
    events: int
    tickets: int
    seconds: float

    @property
    def per_second(self) -> float:
        """Events handled per second over all processes."""
        return self.events / self.seconds


def draft(worker: int, number: int) -> NewTicket:
    """The ticket one delivery opens."""
    address = Address("slack", "T1", f"C{worker}", f"{number}.0001")
    created = T0 + timedelta(seconds=number)
    return NewTicket(
        "acme", "pro", address, f"U{number}", "Ada", "Builds fail", None, Priority.HIGH, created, None, None
    )


async def handle_events(url: str, worker: int, events: int, concurrency: int) -> tuple[float, float, int]:
    """Handle ``events`` deliveries ``concurrency`` at a time; returns start, end and tickets opened."""
    engine = create_engine_for(url)
    store = sql_stores(engine)
    gate = asyncio.Semaphore(concurrency)
    opened = 0

    async def one(number: int) -> None:
        nonlocal opened
        redelivered = number % REDELIVERY_EVERY == REDELIVERY_EVERY - 1
        delivery = f"Ev{worker}-{number - 1 if redelivered else number}"
        async with gate:
            if await store.deliveries.claim_delivery("slack", delivery, T0):
                await store.tickets.open_ticket(draft(worker, number), "helpline")
                opened += 1

    try:
        await store.tickets.get(1)  # connect before the clock starts
        started = time.perf_counter()
        await asyncio.gather(*(one(n) for n in range(events)))
        return started, time.perf_counter(), opened
    finally:
        await engine.dispose()


def _process(
    url: str, worker: int, events: int, concurrency: int, out: multiprocessing.Queue[tuple[float, float, int]]
) -> None:
    out.put(asyncio.run(handle_events(url, worker, events, concurrency)))


def run(engine: str, url: str, processes: int, events: int, concurrency: int) -> Result:
    """Start ``processes`` processes on one freshly migrated database and time them together."""
    asyncio.run(_migrate(url))
    context = multiprocessing.get_context("spawn")
    out: multiprocessing.Queue[tuple[float, float, int]] = context.Queue()
    children = [context.Process(target=_process, args=(url, w, events, concurrency, out)) for w in range(processes)]
    for child in children:
        child.start()
    timings = [out.get(timeout=600) for _ in children]
    for child in children:
        child.join()
    # perf_counter is system-wide on Linux (CLOCK_MONOTONIC), so the processes' readings compare.
    seconds = max(end for _, end, _ in timings) - min(start for start, _, _ in timings)
    tickets = sum(t for _, _, t in timings)
    expected = processes * (events - events // REDELIVERY_EVERY)
    if tickets != expected:  # a benchmark of a store that doubles or drops tickets measures nothing
        raise SystemExit(f"{engine} with {processes} processes opened {tickets} tickets, expected {expected}")
    return Result(engine, processes, processes * events, tickets, seconds)


async def _migrate(url: str) -> None:
    engine = create_engine_for(url)
    try:
        await upgrade_schema(engine)
    finally:
        await engine.dispose()


@contextmanager
def postgres_server(tmp: Path) -> Iterator[str]:
    """The benchmark's PostgreSQL admin URL."""
    existing = os.environ.get(ENV_URL, "").strip()
    if existing:
        yield existing
        return
    yield from postgres.started_server(tmp / "pgdata")


def main() -> None:
    """Run every configuration and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2000, help="deliveries per process")
    parser.add_argument("--concurrency", type=int, default=8, help="deliveries in flight per process")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        url = sqlite_url(Path(tmp) / "bench.sqlite3")
        results.append(run("SQLite", url, 1, args.events, args.concurrency))
        with postgres_server(Path(tmp)) as admin:
            for processes in (1, 2, 4):
                database = asyncio.run(postgres.create_database(admin))
                try:
                    results.append(run("PostgreSQL", database, processes, args.events, args.concurrency))
                finally:
                    asyncio.run(postgres.drop_database(admin, database))
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print(f"{args.events} deliveries per process, {args.concurrency} in flight, 1 in {REDELIVERY_EVERY} a redelivery\n")
    print("| database | processes | events | tickets | seconds | events/s |")
    print("|---|---|---|---|---|---|")
    for r in results:
        print(f"| {r.engine} | {r.processes} | {r.events} | {r.tickets} | {r.seconds:.2f} | {r.per_second:,.0f} |")


if __name__ == "__main__":
    main()
