"""A burst over many conversations drained by two drains at once, several jobs each: the check every queue passes.

Used by the job queue's contract tests (in-memory, SQLite, PostgreSQL): no conversation ever has two jobs running
at once, each conversation's jobs finish in the order they were accepted, a failed job is retried before its
successors, and every job runs once (the failed one twice).
"""

from __future__ import annotations

import asyncio
import random
import zlib
from collections import defaultdict
from datetime import timedelta

from core.clock import ManualClock
from core.job_drain import DrainPolicy, JobDrain
from core.jobs import Job, JobQueue, JobStatus

QUEUE = "burst"
POLICY = DrainPolicy("Burst job", timedelta(minutes=2), timedelta(seconds=10), 3, logger="helpline.test")
CONVERSATIONS, PER_CONVERSATION = 12, 6
FAILS_ONCE = "c3-2"


class Recorder:
    """A handler that yields to the others a few times mid-job and notes overlaps and the order of finishing."""

    def __init__(self) -> None:
        self.running: set[str] = set()
        self.overlaps: list[str] = []
        self.most_at_once = 0
        self.finished: defaultdict[str, list[int]] = defaultdict(list)
        self.runs: defaultdict[str, int] = defaultdict(int)

    async def __call__(self, job: Job) -> None:
        self.runs[job.key] += 1
        if job.conversation in self.running:
            self.overlaps.append(job.key)
        self.running.add(job.conversation)
        self.most_at_once = max(self.most_at_once, len(self.running))
        try:
            for _ in range(zlib.crc32(job.key.encode()) % 5 + 1):  # as a handler that awaits the model or a platform
                await asyncio.sleep(0)
            if job.key == FAILS_ONCE and self.runs[job.key] == 1:
                raise OSError("the platform is down for a moment")
            self.finished[job.conversation].append(int(job.key.rsplit("-", 1)[1]))
        finally:
            self.running.discard(job.conversation)


async def check_concurrent_order(queue: JobQueue, clock: ManualClock) -> None:
    """Accept an interleaved burst, drain it with two drains of four at once, and check the order per conversation."""
    recorder = Recorder()
    drains = [JobDrain(queue, QUEUE, recorder, clock, POLICY, concurrency=4) for _ in range(2)]
    arrivals = [c for c in range(CONVERSATIONS) for _ in range(PER_CONVERSATION)]
    random.Random(23).shuffle(arrivals)
    seq: defaultdict[int, int] = defaultdict(int)
    for n, conversation in enumerate(arrivals):
        number = seq[conversation]
        seq[conversation] += 1
        await drains[n % 2].accept(f"c{conversation}-{number}", "event", b"{}", conversation=f"c{conversation}")
    await asyncio.wait_for(asyncio.gather(*(drain.run_once() for drain in drains)), 60)
    assert recorder.finished["c3"] == [0, 1]  # its failed job waits for its retry, and the rest behind it
    clock.advance(POLICY.first_backoff)
    await asyncio.wait_for(asyncio.gather(*(drain.run_once() for drain in drains)), 60)
    assert recorder.overlaps == []
    assert recorder.most_at_once > 1  # the conversations did run side by side
    expected = list(range(PER_CONVERSATION))
    assert {c: recorder.finished[f"c{c}"] for c in range(CONVERSATIONS)} == {c: expected for c in range(CONVERSATIONS)}
    assert {key: runs for key, runs in recorder.runs.items() if runs != 1} == {FAILS_ONCE: 2}
    counts = await queue.counts(QUEUE)
    assert counts == {JobStatus.PENDING: 0, JobStatus.DONE: CONVERSATIONS * PER_CONVERSATION, JobStatus.FAILED: 0}
