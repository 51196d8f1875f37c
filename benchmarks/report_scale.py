"""Reading a report's whole read model over 100,000 tickets, on SQLite and on PostgreSQL.

Run from the repository root::

    /work/venv/bin/python -m benchmarks.report_scale [--tickets 100000] [--engine sqlite|postgres|both]
    /work/venv/bin/python -m benchmarks.report_scale --database URL   # an already filled database

The data is bulk-inserted (not through the desk): per ticket an ``opened``, a ``replied`` and, for most, a
``resolved`` event; one ticket in ten escalated; one cited bot answer per two tickets (a third voted helpful);
a CSAT survey per resolved ticket and an NPS survey per ten. Then it times reading every ticket's light log
in batches plus the period's answers, ``build_report`` over the same period, and the real command
(``helpline report --from … --to … --format json`` in a child process, its wall time and peak resident
memory), with the peak resident memory of this process (which holds the built data set too). PostgreSQL is
a throw-away pgserver, or ``$HELPLINE_BENCH_POSTGRES_URL``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from config.tiers import load_tiers
from core.analytics.metrics import ReportPolicy, build_report
from core.analytics.ports import TicketLogSource
from core.analytics.records import ReportQuery
from core.store.engine import create_engine_for, sqlite_url, writer
from core.store.migrate import upgrade_schema
from core.store.schema import deflections, escalations, messages, surveys, ticket_events, tickets
from core.store.sql_store import sql_stores
from tests import postgres

ENV_URL = "HELPLINE_BENCH_POSTGRES_URL"
ROOT = Path(__file__).resolve().parents[1]
T0 = datetime(2026, 9, 1, tzinfo=UTC)
CHUNK = 5000


def _thread(n: int) -> dict[str, str]:
    return {"platform": "slack", "workspace": "T1", "channel": "C1", "thread": f"{n}.1"}


def _rows(count: int) -> dict[str, list[dict[str, Any]]]:
    """Every table's rows for ``count`` tickets spread over 90 days."""
    out: dict[str, list[dict[str, Any]]] = {k: [] for k in ("tickets", "events", "escalations", "messages", "surveys")}
    for n in range(1, count + 1):
        opened = T0 + timedelta(minutes=n * 90 * 24 * 60 // count)
        replied, resolved = opened + timedelta(minutes=30 + n % 240), opened + timedelta(hours=4 + n % 48)
        done = n % 5 != 0
        out["tickets"].append(
            {"id": n, "customer": f"c{n % 500}", "tier": ("free", "pro", "enterprise")[n % 3], **_thread(n),
             "requester_id": f"U{n % 20000}", "requester_name": "Ada", "subject": "help", "intent": "billing",
             "priority": "medium", "status": "resolved" if done else "open", "assignee": f"agent{n % 12}",
             "created_at": opened, "updated_at": resolved if done else replied,
             "resolved_at": resolved if done else None,
             "first_response_at": replied, "language": "en", "frustrated": False}
        )  # fmt: skip
        kinds = [("opened", opened), ("replied", replied)] + ([("resolved", resolved)] if done else [])
        out["events"] += [{"ticket_id": n, "at": at, "actor": "bob", "kind": k, "detail": ""} for k, at in kinds]
        if n % 10 == 0:
            at = opened + timedelta(hours=1)
            out["escalations"].append(
                {"ticket_id": n, "deadline": "first_response", "level": 1, "target": "@x", "at": at}
            )
        if n % 2 == 0:
            out["messages"].append(
                {**_thread(n), "ticket_id": None, "author_id": "helpline", "author_name": "Helpline", "role": "bot",
                 "text": f"see {n}", "raw": b"", "intent": "billing", "citation_title": "Billing",
                 "citation_url": "https://docs.example/billing", "external_id": None,
                 "at": opened - timedelta(minutes=5)}
            )  # fmt: skip
        if done or n % 10 == 0:
            kind, sent = ("csat", resolved) if done else ("nps", opened)
            out["surveys"].append(
                {"kind": kind, "ticket_id": n if kind == "csat" else None, **_thread(n), "person": f"U{n}",
                 "tier": "pro", "agent": "bob", "sent_at": sent, "sent_day": sent.date().isoformat(),
                 "score": n % 5 + 1 if kind == "csat" else n % 11, "comment": "",
                 "answered_at": sent, "updated_at": sent}
            )  # fmt: skip
    return out


async def _fill(url: str, count: int) -> float:
    engine = create_engine_for(url)
    started = time.perf_counter()
    try:
        await upgrade_schema(engine)
        data = _rows(count)
        tables = {"tickets": tickets, "events": ticket_events, "escalations": escalations, "messages": messages}
        tables["surveys"] = surveys
        async with writer(engine).begin() as conn:
            for name, table in tables.items():
                for first in range(0, len(data[name]), CHUNK):
                    await conn.execute(insert(table), data[name][first : first + CHUNK])
            votes = [
                {**_thread(n), "question": "q", "url": "u", "at": T0, "answer": f"k{n}"} for n in range(0, count, 6)
            ]
            await conn.execute(insert(deflections), votes)
        return time.perf_counter() - started
    finally:
        await engine.dispose()


async def _read(url: str) -> dict[str, float]:
    engine = create_engine_for(url)
    try:
        stores = sql_stores(engine)
        assert isinstance(stores.reports, TicketLogSource)
        query = ReportQuery(T0, T0 + timedelta(days=91))
        started = time.perf_counter()
        seen = 0
        async for part in stores.reports.ticket_logs(query):
            seen += len(part)
        answers = len(await stores.reports.answers(query))
        result = {"tickets": float(seen), "answers": float(answers), "read_seconds": time.perf_counter() - started}
        tiers = load_tiers(ROOT / "config" / "tiers.yaml")
        started = time.perf_counter()
        await build_report(stores, tiers, query, ReportPolicy(), query.end)
        result["report_seconds"] = time.perf_counter() - started
        return result
    finally:
        await engine.dispose()


def _command(url: str, data_dir: Path) -> dict[str, float]:
    """``helpline report`` over the benchmark's period as JSON, in a child process: its time and peak memory."""
    last = T0 + timedelta(days=90)  # a bare --to date includes its whole day: the period ends at T0 + 91 days
    argv = ["report", "--from", T0.date().isoformat(), "--to", last.date().isoformat(), "--format", "json"]
    env = {**os.environ, "HELPLINE_SUPPORT__DATABASE_URL": url, "HELPLINE_DATA_DIR": str(data_dir)}
    env["PYTHONPATH"] = str(ROOT)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", f"from bots.cli import run; raise SystemExit(run({argv!r}))"],
        cwd=ROOT, env=env, capture_output=True, check=False,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"helpline report failed ({done.returncode}): {done.stderr.decode()[-2000:]}")
    opened = json.loads(done.stdout)["tickets"]["opened"]
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"cli_seconds": seconds, "cli_opened": float(opened), "cli_peak_mib": peak}


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    """Fill, read, and print one line per engine."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--engine", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--database", help="time an already filled database instead (no fill)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.database:
            _run("given", args.database, None, Path(tmp))
            return
        urls = {}
        if args.engine in ("sqlite", "both"):
            urls["sqlite"] = sqlite_url(Path(tmp) / "bench.sqlite3")
        servers = None
        if args.engine in ("postgres", "both"):
            admin = os.environ.get(ENV_URL, "").strip()
            if not admin:
                servers = postgres.started_server(Path(tmp) / "pgdata")
                admin = next(servers)
            urls["postgres"] = asyncio.run(postgres.create_database(admin))
        for name, url in urls.items():
            _run(name, url, args.tickets, Path(tmp))
        if servers is not None:
            next(servers, None)  # past its yield: the server stops and its data is deleted


def _run(name: str, url: str, tickets: int | None, tmp: Path) -> None:
    filled = f"{tickets} tickets filled in {asyncio.run(_fill(url, tickets)):.1f} s" if tickets else "filled before"
    result = asyncio.run(_read(url))
    result.update(_command(url, tmp / f"{name}-data"))
    shown = ", ".join(f"{key} {value:.1f}" if key.endswith(("seconds", "mib")) else f"{key} {value:.0f}"
                      for key, value in result.items())  # fmt: skip
    print(f"{name}: {filled}; {shown}; peak RSS {_peak_mib():.0f} MiB")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
