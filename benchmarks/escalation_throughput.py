"""Escalations per second with 1, 2 and 4 worker processes sharing one PostgreSQL database.

Run from the repository root::

    .venv/bin/python -m benchmarks.escalation_throughput [--tickets 2500] [--workers 1 2 4]

Each run bulk-writes ``--tickets`` open tickets whose first-response warning and escalation are both due,
then starts that many real worker processes (``tests/scale_worker.py``: the real ``EscalationWorker`` over
the real store, delivering each notice into a table) and times them from start to the last exit.
An action is one fired SLA action with its notice delivered; the run checks every one happened exactly once.
PostgreSQL is a throw-away pgserver, or the server in ``$HELPLINE_BENCH_POSTGRES_URL``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from config.tiers import load_tiers
from core.sla.planner import TierPlanner
from core.store.engine import create_engine_for
from core.store.migrate import upgrade_schema
from tests import postgres
from tests.integration.test_sla_scale_out import check_exactly_once
from tests.scale_worker import DUE_PER_TICKET, TIERS, opened_two_hours_ago, populate

ROOT = Path(__file__).resolve().parents[1]
ENV_URL = "HELPLINE_BENCH_POSTGRES_URL"


async def prepare(admin: str, tiers_file: Path, tickets: int) -> str:
    """A fresh database with ``tickets`` due tickets; returns its URL."""
    url = await postgres.create_database(admin)
    engine = create_engine_for(url)
    try:
        await upgrade_schema(engine)
        await populate(engine, TierPlanner(load_tiers(tiers_file)), tickets, opened_two_hours_ago())
    finally:
        await engine.dispose()
    return url


def run_workers(url: str, tiers_file: Path, count: int) -> float:
    """Start ``count`` workers at once; seconds until the last one finished."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "tests.scale_worker", url, str(tiers_file)]
    began = time.perf_counter()
    workers = [subprocess.Popen(command, cwd=ROOT, env=env) for _ in range(count)]
    codes = [w.wait() for w in workers]
    took = time.perf_counter() - began
    if any(codes):
        raise SystemExit(f"a worker failed: exit codes {codes}")
    return took


def measure(admin: str, tickets: int, workers: list[int]) -> None:
    """Print one Markdown row per worker count."""
    with tempfile.TemporaryDirectory() as folder:
        tiers_file = Path(folder) / "tiers.yaml"
        tiers_file.write_text(TIERS, encoding="utf-8")
        print("| workers | tickets | actions | seconds | actions/s |")
        print("|---|---|---|---|---|")
        for count in workers:
            url = asyncio.run(prepare(admin, tiers_file, tickets))
            try:
                seconds = run_workers(url, tiers_file, count)
                asyncio.run(check_exactly_once(url, tickets))
            finally:
                asyncio.run(postgres.drop_database(admin, url))
            actions = tickets * DUE_PER_TICKET
            print(f"| {count} | {tickets:,} | {actions:,} | {seconds:.1f} | {actions / seconds:.0f} |", flush=True)


def main() -> None:
    """Parse the arguments and run on the configured or a throw-away PostgreSQL."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tickets", type=int, default=2500)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    args = parser.parse_args()
    existing = os.environ.get(ENV_URL, "").strip()
    if existing:
        measure(existing, args.tickets, args.workers)
        return
    with tempfile.TemporaryDirectory(prefix="helpline-bench-pg-") as folder:
        for admin in postgres.started_server(Path(folder) / "pgdata"):
            measure(admin, args.tickets, args.workers)


if __name__ == "__main__":
    main()
