"""Durable background jobs: work accepted now (a webhook delivery, a platform call) and done soon after.

A job is stored before the platform gets its answer, so a restart or a crash loses nothing: a job
whose worker died is taken up again once its lease runs out.

Jobs of one conversation (``conversation``: a Slack thread, a GitHub issue) run in the order they were
stored: a job is not taken while an older job of its conversation is still pending (due, leased to a
worker or waiting for a retry), in any process. Jobs of different conversations, and jobs without one
(``""``), pass each other freely.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol


class JobStatus(StrEnum):
    """Where a job is in its life."""

    PENDING = "pending"  # waiting for its time (or for its lease to run out)
    DONE = "done"
    FAILED = "failed"  # given up on; kept for the operator to read


@dataclass(frozen=True)
class NewJob:
    """A job to store; ``key`` is unique per ``queue``, so the same work is never queued twice."""

    queue: str
    key: str
    kind: str
    payload: bytes
    run_after: datetime
    conversation: str = ""  # jobs with the same one run oldest first, one at a time; "": no order


@dataclass(frozen=True)
class Job:
    """A stored job; ``attempts`` counts how often a worker took it, ``failures`` how often it failed."""

    id: int
    queue: str
    key: str
    kind: str
    payload: bytes
    status: JobStatus
    run_after: datetime
    created_at: datetime
    attempts: int
    failures: int
    last_error: str
    conversation: str = ""


class JobQueue(Protocol):
    """Stores jobs and hands them to workers; every method is one transaction."""

    async def enqueue(self, job: NewJob, at: datetime) -> bool:
        """Store ``job``; False (and nothing stored) if its queue already has a job with this key."""
        ...

    async def take(self, queue: str, now: datetime, lease: timedelta, limit: int = 1) -> list[Job]:
        """Pending jobs due at ``now``, oldest first, each hidden from other takers until ``now + lease``.

        A job waits while an older pending job of its queue has the same non-empty ``conversation``.
        """
        ...

    async def done(self, job_id: int, now: datetime) -> None:
        """Mark a job finished."""
        ...

    async def retry(
        self, job_id: int, run_after: datetime, error: str, *, payload: bytes | None = None, failed: bool = True
    ) -> None:
        """Run the job again at ``run_after`` (with the rest of its work in ``payload``, if given).

        ``failed`` counts the attempt as a failure; a rate limit is a wait, not a failure.
        """
        ...

    async def give_up(self, job_id: int, error: str) -> None:
        """Stop trying a job; it stays stored as failed, with the reason."""
        ...

    async def get(self, job_id: int) -> Job | None:
        """The job with this id, if any."""
        ...

    async def jobs(self, queue: str, status: JobStatus | None = None) -> list[Job]:
        """A queue's jobs (of one status, if given), oldest first."""
        ...

    async def counts(self, queue: str) -> dict[JobStatus, int]:
        """How many of a queue's jobs are in each status (every status present, zero included)."""
        ...

    async def forget(self, before: datetime) -> int:
        """Delete finished jobs created before ``before``; returns how many."""
        ...
