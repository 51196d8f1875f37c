"""Escalation workers in separate processes sharing one PostgreSQL database: every due action fires exactly
once and every notice is delivered exactly once, also when a worker dies holding claimed work.

The workers are real processes (``tests/scale_worker.py``) running the real ``EscalationWorker`` over the real
store; they deliver into a table, so the test counts deliveries per ticket independently of the outbox.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from config.tiers import load_tiers
from core.sla.planner import TierPlanner
from core.store.engine import create_engine_for
from core.store.migrate import upgrade_schema
from core.store.schema import outbox, sla_timers, tickets
from tests.scale_worker import DUE_PER_TICKET, TIERS, opened_two_hours_ago, populate, received

ROOT = Path(__file__).resolve().parents[2]
TICKETS = int(os.environ.get("SCALE_TICKETS", "10000"))
WORKERS = 4
FINISH_TIMEOUT = 600.0

pytestmark = [pytest.mark.postgres, pytest.mark.slow, pytest.mark.asyncio]


def start_worker(url: str, tiers_file: Path, log: Path, *args: str) -> subprocess.Popen[bytes]:
    """One worker process, logging to ``log``."""
    command = [sys.executable, "-m", "tests.scale_worker", url, str(tiers_file), *args]
    with log.open("wb") as err:
        return subprocess.Popen(
            command, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.DEVNULL, stderr=err
        )


def wait_all(workers: list[subprocess.Popen[bytes]], logs: list[Path]) -> None:
    """Wait for every worker to finish; fail with its log if one did not exit 0."""
    deadline = time.monotonic() + FINISH_TIMEOUT
    try:
        codes = [w.wait(timeout=max(1.0, deadline - time.monotonic())) for w in workers]
    finally:
        for w in workers:
            if w.poll() is None:
                w.kill()
                w.wait()
    for code, log in zip(codes, logs, strict=True):
        assert code == 0, log.read_text(errors="replace")[-3000:]
        assert "Traceback" not in log.read_text(errors="replace"), log.read_text(errors="replace")[-3000:]


async def prepared(url: str, tmp_path: Path, count: int) -> Path:
    """Migrate the database and bulk-write ``count`` tickets whose warning and escalation are both due."""
    tiers_file = tmp_path / "tiers.yaml"
    tiers_file.write_text(TIERS, encoding="utf-8")
    engine = create_engine_for(url)
    try:
        await upgrade_schema(engine)
        await populate(engine, TierPlanner(load_tiers(tiers_file)), count, opened_two_hours_ago())
    finally:
        await engine.dispose()
    return tiers_file


async def check_exactly_once(url: str, count: int) -> Counter[str]:
    """Every ticket: its two due actions fired once, one outbox notice each, each delivered once; returns who did."""
    engine = create_engine_for(url)
    try:
        async with engine.connect() as conn:
            assert (await conn.execute(select(func.count()).select_from(tickets))).scalar_one() == count
            fired = select(sla_timers.c.ticket_id, sla_timers.c.action).where(sla_timers.c.fired_at.is_not(None))
            fired_actions = Counter((r.ticket_id, r.action) for r in await conn.execute(fired))
            late = select(func.count()).where(sla_timers.c.fired_at.is_(None), sla_timers.c.due_at <= func.now())
            left = (await conn.execute(late)).scalar_one()
            notices = list(await conn.execute(select(outbox.c.timer_id, outbox.c.ticket_id, outbox.c.sent_at)))
            got = list(await conn.execute(select(received.c.ticket, received.c.kind, received.c.worker)))
    finally:
        await engine.dispose()
    expected = {(n, action) for n in range(1, count + 1) for action in ("warning", "escalation")}
    assert set(fired_actions) == expected
    assert set(fired_actions.values()) == {1}
    assert left == 0
    assert len(notices) == count * DUE_PER_TICKET
    assert len({n.timer_id for n in notices}) == len(notices)  # one notice per fired action, never two
    assert all(n.sent_at is not None for n in notices)
    deliveries = Counter((r.ticket, r.kind) for r in got)
    assert set(deliveries) == expected  # nothing lost ...
    assert max(deliveries.values()) == 1  # ... and nothing delivered twice
    return Counter(r.worker for r in got)


async def test_four_worker_processes_fire_10000_tickets_exactly_once(postgres_url: str, tmp_path: Path) -> None:
    tiers_file = await prepared(postgres_url, tmp_path, TICKETS)
    logs = [tmp_path / f"worker{i}.log" for i in range(WORKERS)]
    workers = [start_worker(postgres_url, tiers_file, log) for log in logs]
    wait_all(workers, logs)
    by_worker = await check_exactly_once(postgres_url, TICKETS)
    assert len(by_worker) == WORKERS  # the work really was shared: every process delivered some of it


async def test_a_worker_killed_holding_claims_has_its_work_done_by_another_after_the_lease(
    postgres_url: str, tmp_path: Path
) -> None:
    count, lease = 300, 4.0
    tiers_file = await prepared(postgres_url, tmp_path, count)
    report = tmp_path / "claimed.json"
    stuck_log, rescuer_log = tmp_path / "stuck.log", tmp_path / "rescuer.log"
    stuck = start_worker(postgres_url, tiers_file, stuck_log, "--lease", str(lease), "--hang-after-claim", str(report))
    deadline = time.monotonic() + 60
    while not report.exists():
        assert stuck.poll() is None, stuck_log.read_text(errors="replace")
        assert time.monotonic() < deadline, "the worker never claimed anything"
        time.sleep(0.05)
    stuck.send_signal(signal.SIGKILL)  # between claim_due and complete_due
    stuck.wait()
    claim = json.loads(report.read_text(encoding="utf-8"))
    lease_until = datetime.fromisoformat(claim["lease_until"])

    engine = create_engine_for(postgres_url)
    try:
        held = select(sla_timers.c.id).where(
            sla_timers.c.lease_owner == claim["owner"], sla_timers.c.fired_at.is_(None)
        )
        async with engine.connect() as conn:
            assert sorted(r.id for r in await conn.execute(held)) == sorted(claim["ids"])  # still leased to the dead
    finally:
        await engine.dispose()

    rescuer = start_worker(postgres_url, tiers_file, rescuer_log, "--lease", str(lease))
    wait_all([rescuer], [rescuer_log])
    await check_exactly_once(postgres_url, count)
    engine = create_engine_for(postgres_url)
    try:
        claimed = select(sla_timers.c.fired_at).where(sla_timers.c.id.in_(claim["ids"]))
        async with engine.connect() as conn:
            fired_at = [r.fired_at for r in await conn.execute(claimed)]
    finally:
        await engine.dispose()
    assert len(fired_at) == len(claim["ids"]) > 0
    assert all(at >= lease_until for at in fired_at)  # taken over only once the dead worker's lease ran out
