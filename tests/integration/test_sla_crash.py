"""Crash safety: a worker SIGKILLed at random moments while many tickets are overdue, restarted each time,
still fires every due action exactly once and delivers every notice (at most once more per kill).

``SLA_CRASH_TRIALS`` and ``SLA_CRASH_TICKETS`` run the longer version whose numbers docs/sla.md reports.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from config.tiers import load_tiers
from core.messages import Address
from core.sla.planner import TierPlanner
from core.store.engine import create_engine_for, sqlite_url
from core.store.migrate import upgrade_schema
from core.store.sql_store import sql_stores
from core.tickets.records import NewTicket, Priority

ROOT = Path(__file__).resolve().parents[2]
TIERS = """\
version: 1
default_tier: gold
sla: {warning_share: 75%, critical_reminder: null, stale_after: null}
tiers:
  gold:
    hours: 24x7
    first_response: {critical: 1h, high: 2h, medium: 4h, low: 8h}
    resolution: {critical: 4h, high: 8h, medium: 1d, low: 2d}
    escalation:
      target: console
      chain:
        - {name: L1, wait: 10m}
        - {name: L2, wait: 10m}
        - {name: L3}
    channels: [console]
"""
ACTIONS_PER_TICKET = 8  # a warning and three levels, for first response and for resolution


async def _populate(database: Path, tiers_file: Path, count: int) -> None:
    tiers = load_tiers(tiers_file)
    planner = TierPlanner(tiers)
    engine = create_engine_for(sqlite_url(database))
    try:
        await upgrade_schema(engine)
        store = sql_stores(engine, planner)
        opened = datetime.now(UTC) - timedelta(days=30)  # every action of every ticket is overdue
        for n in range(count):
            priority = list(Priority)[n % 4]
            address = Address("console", channel=f"t{n}")
            draft = NewTicket("acme", "gold", address, "u", "U", f"ticket {n}", None, priority, opened, None, None)
            await store.tickets.open_ticket(draft, "test")
        await store.timers.replan(None, opened, planner.fingerprint)
    finally:
        await engine.dispose()


def _run_with_kills(database: Path, tiers_file: Path, deliveries: Path, kills: int, seed: int) -> int:
    """Start the worker, SIGKILL it at random moments ``kills`` times, then let it finish; returns kills done."""
    rng = random.Random(seed)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "tests.sla_crash_worker", str(database), str(tiers_file), str(deliveries)]
    done = 0
    while True:
        process = subprocess.Popen(command, cwd=ROOT, env=env)
        if done < kills:
            try:
                process.wait(timeout=rng.uniform(0.6, 2.0))  # imports take ~0.5 s; then it works
            except subprocess.TimeoutExpired:
                process.send_signal(signal.SIGKILL)
                process.wait()
                done += 1
                continue
        assert process.wait(timeout=300) == 0
        return done


def _check(database: Path, deliveries: Path, count: int) -> tuple[int, int]:
    import sqlite3

    with sqlite3.connect(database) as db:
        fired = db.execute("SELECT COUNT(*) FROM sla_timers WHERE fired_at IS NOT NULL").fetchone()[0]
        pending = db.execute("SELECT COUNT(*) FROM sla_timers WHERE fired_at IS NULL").fetchone()[0]
        per_timer = db.execute("SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM outbox GROUP BY timer_id)").fetchone()[0]
        rows = db.execute("SELECT payload FROM outbox").fetchall()
        unsent = db.execute("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL").fetchone()[0]
    assert (fired, pending, unsent) == (count * ACTIONS_PER_TICKET, 0, 0)
    assert per_timer == 1  # one notice per fired action, never two
    queued = Counter(json.loads(payload)["text"] for (payload,) in rows)
    received = Counter(json.loads(line)["text"] for line in deliveries.read_text(encoding="utf-8").splitlines())
    assert set(received) == set(queued)  # nothing lost
    duplicates = sum(received.values()) - len(received)
    return fired, duplicates


@pytest.mark.slow
@pytest.mark.asyncio
async def test_sigkilled_workers_fire_every_due_action_exactly_once(tmp_path: Path) -> None:
    count = int(os.environ.get("SLA_CRASH_TICKETS", "120"))
    trials = int(os.environ.get("SLA_CRASH_TRIALS", "5"))
    database, tiers_file, deliveries = tmp_path / "h.sqlite3", tmp_path / "tiers.yaml", tmp_path / "delivered.jsonl"
    tiers_file.write_text(TIERS, encoding="utf-8")
    deliveries.touch()
    await _populate(database, tiers_file, count)
    started = time.monotonic()
    kills = _run_with_kills(database, tiers_file, deliveries, trials, seed=int(os.environ.get("SLA_CRASH_SEED", "1")))
    fired, duplicates = _check(database, deliveries, count)
    assert duplicates <= kills  # a kill between a send and its "sent" mark resends that one notice once
    report = os.environ.get("SLA_CRASH_REPORT")
    if report:
        seconds = round(time.monotonic() - started, 1)
        line = {"tickets": count, "actions": fired, "kills": kills, "duplicates": duplicates, "seconds": seconds}
        with Path(report).open("a", encoding="utf-8") as file:
            file.write(json.dumps(line) + "\n")


@pytest.mark.slow
@pytest.mark.asyncio
async def test_two_workers_at_once_fire_each_action_once(tmp_path: Path) -> None:
    count = 80
    database, tiers_file, deliveries = tmp_path / "h.sqlite3", tmp_path / "tiers.yaml", tmp_path / "delivered.jsonl"
    tiers_file.write_text(TIERS, encoding="utf-8")
    deliveries.touch()
    await _populate(database, tiers_file, count)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "tests.sla_crash_worker", str(database), str(tiers_file), str(deliveries)]
    workers = [subprocess.Popen(command, cwd=ROOT, env=env) for _ in range(2)]
    assert [w.wait(timeout=300) for w in workers] == [0, 0]
    fired, duplicates = _check(database, deliveries, count)
    assert (fired, duplicates) == (count * ACTIONS_PER_TICKET, 0)
