"""Slack events made durable: stored in the job queue before Slack gets its ack, handled from there.

Slack never retries an event it got an ack for, so an event only held in memory between the ack and
its handling would be lost with the process. Stored first (in the ticket database's ``jobs`` table,
queue ``slack``), it is handled after a restart instead; its unique key (the ``event_id``) makes
Slack's retries and redeliveries no-ops.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from core.jobs import NewJob

if TYPE_CHECKING:
    from core.jobs import Job, JobQueue
    from core.ports import Clock

log = logging.getLogger("helpline.slack")

QUEUE = "slack"
EVENT = "event"
# A process that died while handling an event lets another (or its restart) take it after this.
LEASE = timedelta(minutes=2)
FIRST_BACKOFF = timedelta(seconds=15)
MAX_ATTEMPTS = 5
# Handled events are kept this long, so a redelivery (or an event Slack resends) is still recognised.
KEEP_DONE = timedelta(days=7)
TIDY_EVERY = timedelta(hours=1)

Handler = Callable[[dict[str, Any], str], Awaitable[None]]


def event_job(event_id: str, envelope: Mapping[str, Any], bot_user: str, clock: Clock) -> NewJob:
    """The job for one event envelope: JSON (never pickle), with the bot's user id it was received under."""
    payload = json.dumps({"envelope": envelope, "bot_user": bot_user}, ensure_ascii=False).encode()
    return NewJob(QUEUE, f"event:{event_id}", EVENT, payload, clock.now())


class EventDrain:
    """Handles the queued events one at a time, oldest first, so a thread's messages keep their order."""

    def __init__(self, queue: JobQueue, handler: Handler, clock: Clock) -> None:
        self.queue = queue
        self._handler = handler
        self._clock = clock
        self._turn = asyncio.Lock()  # one drain at a time in a process: the order of the queue is kept
        self._tidied_at: datetime | None = None

    async def accept(self, job: NewJob) -> bool:
        """Store an event before it is acknowledged; False for a retry or redelivery of a stored one."""
        return await self.queue.enqueue(job, self._clock.now())

    async def run_once(self) -> int:
        """Handle every event due now; returns how many were taken."""
        ran = 0
        async with self._turn:
            while taken := await self.queue.take(QUEUE, self._clock.now(), LEASE, limit=10):
                for job in taken:
                    await self._run(job)
                ran += len(taken)
        return ran

    async def _run(self, job: Job) -> None:
        try:
            data = json.loads(job.payload)
            envelope, bot_user = data["envelope"], data["bot_user"]
            if not isinstance(envelope, dict) or not isinstance(bot_user, str):
                raise ValueError("not an event job")
        except (ValueError, KeyError, TypeError) as exc:
            log.error("Slack event %s cannot be read and is given up: %s", job.key, exc)
            await self.queue.give_up(job.id, f"unreadable: {exc}")
            return
        try:
            await self._handler(envelope, bot_user)
        except Exception as exc:  # the desk answers its own errors; this is the database or a bug
            reason = f"{type(exc).__name__}: {exc}"
            if job.failures + 1 >= MAX_ATTEMPTS:
                log.exception("Slack event %s given up after %d attempt(s)", job.key, job.attempts)
                await self.queue.give_up(job.id, reason)
                return
            delay = FIRST_BACKOFF * 2**job.failures
            log.warning("Slack event %s failed (%s); retrying in %s", job.key, reason, delay, exc_info=exc)
            await self.queue.retry(job.id, self._clock.now() + delay, reason)
            return
        await self.queue.done(job.id, self._clock.now())

    async def tidy(self) -> int:
        """Delete jobs finished more than ``KEEP_DONE`` ago, about once an hour; returns how many."""
        now = self._clock.now()
        if self._tidied_at is not None and now - self._tidied_at < TIDY_EVERY:
            return 0
        forgotten = await self.queue.forget(now - KEEP_DONE)
        self._tidied_at = now
        return forgotten

    async def run_forever(self, stop: asyncio.Event, poll: float = 5.0) -> None:
        """Until ``stop``: handle what is due every ``poll`` seconds (left by a restart, a retry, an expired lease)."""
        while not stop.is_set():
            try:
                await self.run_once()
                await self.tidy()
            except Exception:  # the database went away for a moment: keep draining afterwards
                log.exception("Slack event pass failed; retrying in %.0f s", poll)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=poll)
