"""Signed GitHub deliveries per second through real HTTP: 1, 2 and 4 ``helpline serve --role web`` processes on
one PostgreSQL, next to one process on SQLite.

Run from the repository root::

    .venv/bin/python -m benchmarks.webhook_throughput [--deliveries 400] [--concurrency 8] [--processes 1 2 4]

Each run starts the web processes (each loads the real model), then posts ``--deliveries`` signed
``issues.opened`` deliveries, each for a new issue, spread round-robin over the processes with
``--concurrency`` requests in flight. Two rates are reported: accepted (verified, deduplicated and queued,
answered 202) and processed (understood by the model and a ticket opened, counted in the database).
No GitHub token is set, so nothing is posted back to GitHub. PostgreSQL is a throw-away pgserver,
or the server in ``$HELPLINE_BENCH_POSTGRES_URL``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import tempfile
import time
from pathlib import Path

import httpx
from sqlalchemy import func, select

from bots.github.translate import sign
from core.store.engine import create_engine_for, sqlite_url
from core.store.schema import tickets
from tests import postgres
from tests.e2e.test_serve import HELPLINE, Served, clean_env, free_port

ENV_URL = "HELPLINE_BENCH_POSTGRES_URL"
SECRET = "bench-secret"
PAYLOAD = (
    Path(__file__).resolve().parents[1] / "tests" / "adapters" / "payloads" / "github" / "issues.opened.payload.json"
)
TITLES = ("App restarts with exit code 137", "Custom domain certificate is stuck", "Deploy fails with TL-E1042")


def start_web(folder: Path, name: str, url: str) -> Served:
    """One web process on ``url``, logging to ``<name>.log``; returns once it answers /healthz."""
    env = clean_env(folder, HELPLINE_SUPPORT__DATABASE_URL=url, GITHUB_WEBHOOK_SECRET=SECRET)
    port, log = free_port(), folder / f"{name}.log"
    with log.open("wb") as err:
        process = subprocess.Popen(
            [str(HELPLINE), "serve", "--role", "web", "--port", str(port)],
            env=env, cwd=folder, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err,
        )  # fmt: skip
    served = Served(process, port, log)
    served.wait_for_health()
    return served


def delivery(number: int) -> tuple[bytes, dict[str, str]]:
    """A signed ``issues.opened`` for issue ``number``."""
    data = json.loads(PAYLOAD.read_text("utf-8"))
    data["issue"]["number"], data["issue"]["title"] = number, TITLES[number % len(TITLES)]
    data["issue"]["id"] = 10_000_000 + number
    body = json.dumps(data).encode()
    headers = {
        "X-GitHub-Event": "issues",
        "X-GitHub-Delivery": f"bench-{number}",
        "X-Hub-Signature-256": sign(SECRET, body),
    }
    return body, headers


async def post_all(webs: list[Served], count: int, concurrency: int) -> float:
    """Post ``count`` deliveries round-robin; seconds until the last was accepted."""
    prepared = [delivery(n) for n in range(1, count + 1)]
    gate = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(timeout=60.0) as client:

        async def one(n: int) -> None:
            body, headers = prepared[n]
            async with gate:
                response = await client.post(f"http://127.0.0.1:{webs[n % len(webs)].port}/github/webhook",
                                             content=body, headers=headers)  # fmt: skip
            if response.status_code != 202:
                raise SystemExit(f"delivery {n} answered {response.status_code}: {response.text}")

        began = time.perf_counter()
        await asyncio.gather(*(one(n) for n in range(count)))
        return time.perf_counter() - began


async def wait_for_tickets(url: str, count: int, timeout: float = 900.0) -> None:
    """Wait until ``count`` tickets exist."""
    engine = create_engine_for(url)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            async with engine.connect() as conn:
                if (await conn.execute(select(func.count()).select_from(tickets))).scalar_one() >= count:
                    return
            await asyncio.sleep(0.2)
        raise SystemExit(f"fewer than {count} tickets after {timeout:.0f} s")
    finally:
        await engine.dispose()


def run(folder: Path, url: str, processes: int, count: int, concurrency: int) -> tuple[float, float]:
    """Accepted and processed deliveries per second with ``processes`` web processes on ``url``."""
    webs: list[Served] = []
    try:
        for i in range(processes):
            webs.append(start_web(folder, f"web{i}", url))
        began = time.perf_counter()
        accepted = asyncio.run(post_all(webs, count, concurrency))
        asyncio.run(wait_for_tickets(url, count))
        processed = time.perf_counter() - began
    finally:
        for web in webs:
            web.stop()
    return count / accepted, count / processed


def measure(admin: str | None, counts: list[int], deliveries: int, concurrency: int) -> None:
    """Print one Markdown row per configuration (SQLite first, then PostgreSQL)."""
    print("| database | web processes | deliveries | accepted/s | processed/s (model + ticket) |")
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as sqlite_folder:
        folder = Path(sqlite_folder)
        accepted, processed = run(folder, sqlite_url(folder / "data" / "helpline.sqlite3"), 1, deliveries, concurrency)
        print(f"| SQLite | 1 | {deliveries} | {accepted:.0f} | {processed:.1f} |", flush=True)
    for processes in counts:
        assert admin is not None
        url = asyncio.run(postgres.create_database(admin))
        try:
            with tempfile.TemporaryDirectory() as pg_folder:
                accepted, processed = run(Path(pg_folder), url, processes, deliveries, concurrency)
        finally:
            asyncio.run(postgres.drop_database(admin, url))
        print(f"| PostgreSQL | {processes} | {deliveries} | {accepted:.0f} | {processed:.1f} |", flush=True)


def main() -> None:
    """Parse the arguments and run on the configured or a throw-away PostgreSQL."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--deliveries", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2, 4])
    args = parser.parse_args()
    existing = os.environ.get(ENV_URL, "").strip()
    if existing:
        measure(existing, args.processes, args.deliveries, args.concurrency)
        return
    with tempfile.TemporaryDirectory(prefix="helpline-bench-pg-") as folder:
        for admin in postgres.started_server(Path(folder) / "pgdata"):
            measure(admin, args.processes, args.deliveries, args.concurrency)


if __name__ == "__main__":
    main()
