"""A web process for the job-order crash test: drains the ``burst`` queue of a database and "handles" each job by
appending its conversation and number to a file (flushed and fsynced, as a platform that has received the answer).

Exits 0 once the file ``STOP`` exists and no job is pending. Run as
``python -m tests.job_order_worker DATABASE_URL HANDLED STOP CONCURRENCY`` (jobs run at once, as ``jobs.concurrency``).
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from datetime import timedelta
from pathlib import Path

from core.clock import SystemClock
from core.job_drain import DrainPolicy, JobDrain
from core.jobs import Job, JobStatus
from core.store.engine import create_engine_for
from core.store.job_queue import SqlJobQueue

QUEUE = "burst"
# Long enough that a live process on a busy machine keeps its job; short enough that a kill costs seconds.
LEASE = timedelta(seconds=3)
POLICY = DrainPolicy("Burst job", LEASE, timedelta(seconds=1), 5, logger="helpline.test")


async def main(url: str, handled: Path, stop: Path, concurrency: int) -> None:
    """Drain until told to stop and nothing is left."""
    engine = create_engine_for(url)

    async def handle(job: Job) -> None:
        data = json.loads(job.payload)
        with handled.open("a", encoding="utf-8") as file:
            file.write(f"{data['conversation']} {data['seq']} {os.getpid()}\n")
            file.flush()
            os.fsync(file.fileno())
        await asyncio.sleep(0.005)  # some work after the answer went out: a kill may land here, before "done"

    queue = SqlJobQueue(engine)
    drain = JobDrain(queue, QUEUE, handle, SystemClock(), POLICY, concurrency)
    try:
        while True:
            await drain.run_once()
            if stop.exists() and not (await queue.counts(QUEUE))[JobStatus.PENDING]:
                return
            await asyncio.sleep(0.05)
    finally:
        await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4])))
