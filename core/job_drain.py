"""The one durable job drain: take due jobs from a queue, run them, back off, give up, forget.

Every background queue (Slack events, GitHub deliveries and actions, and any later one) is drained by a
``JobDrain``; what differs between them is the handler and a ``DrainPolicy``. Jobs are stored with the
drain's own clock, so the adapters that queue work never read a clock for it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from core.commands import CommandError
from core.jobs import NewJob

if TYPE_CHECKING:
    from core.jobs import Job, JobQueue, JobStatus
    from core.ports import Clock

Handler = Callable[["Job"], Awaitable[None]]

# Errors that the same job raises again on every try: a payload of the wrong shape, a refused command.
# Such a job is given up at once (logged once); anything else (the network, the database) is retried.
PERMANENT: tuple[type[Exception], ...] = (TypeError, ValueError, KeyError, AttributeError, CommandError)


class Postpone(Exception):
    """Raised by a handler: run the job again at ``retry_at`` (with ``payload``, the rest of it); not a failure."""

    def __init__(self, retry_at: datetime, payload: bytes | None = None, reason: str = "postponed") -> None:
        super().__init__(reason)
        self.retry_at = retry_at
        self.payload = payload


class GiveUp(Exception):
    """Raised by a handler: trying again cannot help (an unreadable payload, a refused call); keep it as failed."""


@dataclass(frozen=True)
class DrainPolicy:
    """How a drain treats its jobs: leases, backoff, patience, housekeeping, and what its log lines call a job."""

    label: str  # "Slack event": the start of every log line about one of its jobs
    lease: timedelta  # a job taken by a process that died is taken again after this
    first_backoff: timedelta  # the wait after the first failure, doubled after each further one
    max_attempts: int
    last_backoff: timedelta | None = None  # the longest wait; None: no cap
    keep_done: timedelta = timedelta(days=7)  # finished jobs are kept this long (redeliveries are recognised)
    tidy_every: timedelta = timedelta(hours=1)
    # Errors whose message says it all (a platform's answer): logged without their traceback.
    quiet: tuple[type[Exception], ...] = ()
    permanent: tuple[type[Exception], ...] = PERMANENT  # given up at first, not retried
    logger: str = "helpline.jobs"  # the platform's own logger, so its operators find its jobs where they look
    # At most this many at once whatever ``jobs.concurrency`` says; 1 for a queue whose jobs without a
    # conversation must still run in the order they were accepted. None: as configured.
    most_at_once: int | None = None

    def backoff(self, failures: int) -> timedelta:
        """The wait after a job's ``failures + 1``-th failure."""
        delay: timedelta = self.first_backoff * 2**failures
        return delay if self.last_backoff is None else min(delay, self.last_backoff)


class JobDrain:
    """Runs one queue's due jobs, oldest first, up to ``concurrency`` at once (each of a different conversation).

    A job is taken only when it can start at once, so a process that dies leaves behind its lease only the
    jobs it was running, never untouched ones that newer jobs of their conversations would overtake. The
    queue hands out no job while an older one of its conversation is pending, so a conversation's jobs run
    one at a time and in order however many run at once, in this process or in others.
    """

    def __init__(
        self, queue: JobQueue, name: str, handler: Handler, clock: Clock, policy: DrainPolicy, concurrency: int = 1
    ) -> None:
        if concurrency < 1:
            raise ValueError(f"a drain runs at least one job at a time, not {concurrency}")
        self.queue = queue
        self.name = name
        self.policy = policy
        self.concurrency = concurrency if policy.most_at_once is None else min(concurrency, policy.most_at_once)
        self._handler = handler
        self._clock = clock
        self._turn = asyncio.Lock()  # one pass at a time: a second would overtake the first's jobs
        self._wake = asyncio.Event()
        self._arrived = asyncio.Event()  # a job was accepted (or ``wake``): a running pass takes it at once
        self._tidied_at: datetime | None = None
        self._log = logging.getLogger(policy.logger)

    async def accept(self, key: str, kind: str, payload: bytes, conversation: str = "") -> bool:
        """Store a job to run now; False (nothing stored) when this queue already has a job with ``key``.

        Jobs with the same ``conversation`` run in the order they were accepted, across processes and restarts.
        """
        now = self._clock.now()
        stored = await self.queue.enqueue(NewJob(self.name, key, kind, payload, now, conversation), now)
        self._arrived.set()
        return stored

    def wake(self) -> None:
        """Make ``run_forever`` look for work now instead of at its next poll."""
        self._wake.set()
        self._arrived.set()

    async def counts(self) -> dict[JobStatus, int]:
        """How many of this queue's jobs are in each status."""
        return await self.queue.counts(self.name)

    async def run_once(self) -> int:
        """Run every job due now (and those accepted meanwhile); returns how many were taken (postponed ones too)."""
        async with self._turn:
            return await self._pass()

    async def _pass(self) -> int:
        ran = 0
        running: set[asyncio.Task[None]] = set()
        try:
            while True:
                self._arrived.clear()  # before the take: a job accepted after it wakes the wait below
                room = self.concurrency - len(running)
                taken = await self.queue.take(self.name, self._clock.now(), self.policy.lease, room) if room else []
                running.update(asyncio.create_task(self._run(job)) for job in taken)
                ran += len(taken)
                if not running:
                    return ran
                arrival = asyncio.ensure_future(self._arrived.wait())
                finished, _ = await asyncio.wait({*running, arrival}, return_when=asyncio.FIRST_COMPLETED)
                arrival.cancel()
                for task in finished - {arrival}:
                    running.discard(task)
                    task.result()  # recording the outcome failed (the database went away): end the pass
        except asyncio.CancelledError:  # the process is stopping: the running jobs come due when their leases end
            for task in running:
                task.cancel()
            raise
        finally:
            # Outcomes of jobs still running are recorded before the error ends the pass.
            await asyncio.gather(*running, return_exceptions=True)

    async def _run(self, job: Job) -> None:
        """Run one job and record the outcome: done, postponed, retried or given up."""
        label = self.policy.label
        try:
            await self._handler(job)
        except Postpone as wait:
            self._log.warning("%s %s waits until %s: %s", label, job.key, wait.retry_at.isoformat(), wait)
            await self.queue.retry(job.id, wait.retry_at, str(wait), payload=wait.payload, failed=False)
        except GiveUp as hopeless:
            self._log.error("%s %s given up after %d attempt(s): %s", label, job.key, job.attempts, hopeless)
            await self.queue.give_up(job.id, str(hopeless))
        except Exception as exc:  # the handler answers what it can; this is a platform, the database or a bug
            await self._failed(job, exc)
        else:
            await self.queue.done(job.id, self._clock.now())

    async def _failed(self, job: Job, exc: Exception) -> None:
        label, reason = self.policy.label, f"{type(exc).__name__}: {exc}"
        trace = None if isinstance(exc, self.policy.quiet) else exc
        if isinstance(exc, self.policy.permanent):
            self._log.error("%s %s cannot succeed, given up: %s", label, job.key, reason, exc_info=trace)
            await self.queue.give_up(job.id, reason)
            return
        if job.failures + 1 >= self.policy.max_attempts:
            self._log.error(
                "%s %s given up after %d attempt(s): %s", label, job.key, job.attempts, reason, exc_info=trace
            )
            await self.queue.give_up(job.id, reason)
            return
        delay = self.policy.backoff(job.failures)
        self._log.warning("%s %s failed (%s); retrying in %s", label, job.key, reason, delay, exc_info=trace)
        await self.queue.retry(job.id, self._clock.now() + delay, reason)

    async def tidy(self) -> int:
        """Delete jobs finished more than ``keep_done`` ago, at most once every ``tidy_every``; returns how many."""
        now = self._clock.now()
        if self._tidied_at is not None and now - self._tidied_at < self.policy.tidy_every:
            return 0
        forgotten = await self.queue.forget(now - self.policy.keep_done)
        self._tidied_at = now
        return forgotten

    async def run_forever(self, stop: asyncio.Event, poll: float = 5.0) -> None:
        """Until ``stop``: run what is due on ``wake`` or every ``poll`` seconds (retries, a restart's leftovers)."""
        while not stop.is_set():
            self._wake.clear()  # before the pass: work queued during it wakes the next one
            try:
                await self.run_once()
                await self.tidy()
            except Exception:  # the database went away for a moment: keep draining afterwards
                self._log.exception("%s pass failed; retrying in %.0f s", self.policy.label, poll)
            waiters = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(self._wake.wait())]
            with contextlib.suppress(TimeoutError):
                await asyncio.wait(waiters, timeout=poll, return_when=asyncio.FIRST_COMPLETED)
            for waiter in waiters:
                waiter.cancel()


DrainFactory = Callable[[str, Handler, DrainPolicy], JobDrain]


def drains_on(queue: JobQueue, clock: Clock, concurrency: int = 1) -> DrainFactory:
    """A factory of drains that all keep their jobs in ``queue``, read ``clock`` and run ``concurrency`` at once."""

    def make(name: str, handler: Handler, policy: DrainPolicy) -> JobDrain:
        """A drain of the queue ``name``."""
        return JobDrain(queue, name, handler, clock, policy, concurrency)

    return make
