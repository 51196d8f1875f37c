"""Draining the GitHub job queue in the background: one job at a time, rate limits waited out, nothing lost."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from bots.github.app import Deferred
from bots.github.client import GitHubCallError

if TYPE_CHECKING:
    from core.jobs import Job, JobQueue
    from core.ports import Clock

log = logging.getLogger("helpline.github")

LEASE = timedelta(minutes=5)  # a job taken by a worker that died is tried again after this
FIRST_BACKOFF = timedelta(seconds=30)
LAST_BACKOFF = timedelta(hours=1)
KEEP_DONE = timedelta(days=7)  # GitHub lets you redeliver for a few days; done jobs are kept past that


class JobRunner(Protocol):
    """Does one job (``GitHubBot.run``)."""

    async def run(self, job: Job) -> None:
        """Do it; raise ``Deferred`` to wait, anything else to retry."""
        ...


class JobWorker:
    """Takes due jobs from one queue and runs them; a job that must wait is put back for its time."""

    def __init__(self, queue: JobQueue, name: str, runner: JobRunner, clock: Clock, *, max_attempts: int = 8) -> None:
        self._queue = queue
        self._name = name
        self._runner = runner
        self._clock = clock
        self._max_attempts = max_attempts
        self._wake = asyncio.Event()
        self._forgotten_at: datetime | None = None

    def wake(self) -> None:
        """Look for work now (a delivery was just queued)."""
        self._wake.set()

    async def run_once(self) -> int:
        """Run every job due now; returns how many were run (a job that must wait counts too)."""
        ran = 0
        while taken := await self._queue.take(self._name, self._clock.now(), LEASE, limit=10):
            for job in taken:
                await self._run(job)
            ran += len(taken)
        return ran

    async def _run(self, job: Job) -> None:
        """Run one job and record the outcome: done, waiting for a rate limit, retried or given up."""
        try:
            await self._runner.run(job)
        except Deferred as wait:
            log.warning("GitHub job %s waits until %s: %s", job.key, wait.retry_at.isoformat(), wait)
            await self._queue.retry(job.id, wait.retry_at, str(wait), payload=wait.payload, failed=False)
        except Exception as exc:
            await self._failed(job, exc)
        else:
            await self._queue.done(job.id, self._clock.now())

    async def _failed(self, job: Job, exc: Exception) -> None:
        reason = f"{type(exc).__name__}: {exc}"
        permanent = isinstance(exc, GitHubCallError) and exc.permanent
        if permanent or isinstance(exc, ValueError) or job.failures + 1 >= self._max_attempts:
            log.error("GitHub job %s given up after %d attempt(s): %s", job.key, job.attempts, reason)
            await self._queue.give_up(job.id, reason)
            return
        delay = min(FIRST_BACKOFF * 2**job.failures, LAST_BACKOFF)
        # A GitHub answer or an unreachable GitHub says it all; anything else needs its traceback.
        trace = None if isinstance(exc, GitHubCallError) else exc
        log.warning("GitHub job %s failed (%s); retrying in %s", job.key, reason, delay, exc_info=trace)
        await self._queue.retry(job.id, self._clock.now() + delay, reason)

    async def _tidy(self) -> None:
        """Delete long-finished jobs, about once an hour."""
        now = self._clock.now()
        if self._forgotten_at is None or now - self._forgotten_at >= timedelta(hours=1):
            self._forgotten_at = now
            await self._queue.forget(now - KEEP_DONE)

    async def run_forever(self, stop: asyncio.Event, poll: float = 5.0) -> None:
        """Run due jobs until ``stop`` is set; wakes on ``wake`` or every ``poll`` seconds."""
        while not stop.is_set():
            self._wake.clear()  # before the pass: a delivery queued during it wakes the next one
            try:
                await self.run_once()
                await self._tidy()
            except Exception:  # the database went away for a moment: keep the worker alive
                log.exception("GitHub job pass failed; retrying in %.0f s", poll)
            waiters = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(self._wake.wait())]
            with contextlib.suppress(TimeoutError):
                await asyncio.wait(waiters, timeout=poll, return_when=asyncio.FIRST_COMPLETED)
            for waiter in waiters:
                waiter.cancel()
