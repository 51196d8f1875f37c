"""Per-conversation order survives crashes: a burst of events over many conversations, drained by two processes
at once (each running up to ``CONCURRENCY`` jobs of different conversations side by side), one of them SIGKILLed
at random moments during the burst and started again; every conversation's events are still handled in the order
they arrived (a job cut off by a kill is handled again before its successors).

Runs on SQLite and on PostgreSQL (``database_url``).
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import subprocess
import sys
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

import pytest

from core.jobs import NewJob
from core.store.engine import create_engine_for
from core.store.job_queue import SqlJobQueue
from core.store.migrate import upgrade_schema
from tests.job_order_worker import QUEUE

pytestmark = [pytest.mark.asyncio, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
CONVERSATIONS, PER_CONVERSATION, KILLS = 20, 15, 3
CONCURRENCY = 4


def _start(url: str, handled: Path, stop: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "tests.job_order_worker", url, str(handled), str(stop), str(CONCURRENCY)]
    return subprocess.Popen(command, cwd=ROOT, env=env)


async def _burst(queue: SqlJobQueue, rng: random.Random) -> None:
    """Events arriving over a few seconds, the conversations interleaved at random."""
    arrivals = [c for c in range(CONVERSATIONS) for _ in range(PER_CONVERSATION)]
    rng.shuffle(arrivals)
    seq: defaultdict[int, int] = defaultdict(int)
    for n, conversation in enumerate(arrivals):
        number = seq[conversation]
        seq[conversation] += 1
        payload = json.dumps({"conversation": conversation, "seq": number}).encode()
        now = datetime.now(UTC)
        await queue.enqueue(NewJob(QUEUE, f"c{conversation}-{number}", "event", payload, now, f"c{conversation}"), now)
        if n % 10 == 0:
            await asyncio.sleep(0.05)


async def test_a_kill_during_a_burst_keeps_every_conversation_in_order(database_url: str, tmp_path: Path) -> None:
    rng = random.Random(int(os.environ.get("JOB_ORDER_SEED", "16")))
    handled, stop = tmp_path / "handled.txt", tmp_path / "stop"
    handled.touch()
    engine = create_engine_for(database_url)
    try:
        await upgrade_schema(engine)
        workers = [_start(database_url, handled, stop) for _ in range(2)]
        producing = asyncio.ensure_future(_burst(SqlJobQueue(engine), rng))
        for _ in range(KILLS):  # during the burst: kill the first process mid-work and start it again
            await asyncio.sleep(rng.uniform(0.8, 1.5))  # imports take ~0.5 s; then it works
            workers[0].send_signal(signal.SIGKILL)
            await asyncio.to_thread(workers[0].wait)
            workers[0] = _start(database_url, handled, stop)
        await producing
        stop.touch()
        codes = [await asyncio.to_thread(w.wait, 300) for w in workers]
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
        await engine.dispose()
    assert codes == [0, 0]
    seen: defaultdict[int, list[int]] = defaultdict(list)
    for line in handled.read_text(encoding="utf-8").splitlines():
        words = line.split()
        seen[int(words[0])].append(int(words[1]))
    for thread in range(CONVERSATIONS):
        # A job whose process died after answering is answered again (at least once), right away, never later.
        order = [n for i, n in enumerate(seen[thread]) if i == 0 or seen[thread][i - 1] != n]
        assert order == list(range(PER_CONVERSATION)), f"conversation {thread}: {seen[thread]}"
