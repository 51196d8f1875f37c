"""An in-memory ``JobQueue`` with the SQL queue's rules: unique keys per queue, leases, conversations in order."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

from core.jobs import Job, JobStatus, NewJob
from core.store.job_queue import ERROR_CHARS, check_job


class InMemoryJobQueue:
    """The job queue port in a dict; survives a 'restart' when the same object is handed to a new bot."""

    def __init__(self) -> None:
        self._jobs: dict[int, Job] = {}
        self._last_id = 0  # ids are never reused, even after ``forget``, as a SQL sequence

    async def enqueue(self, job: NewJob, at: datetime) -> bool:
        """Store ``job``; False if its queue already has a job with this key."""
        check_job(job)
        if any(j.queue == job.queue and j.key == job.key for j in self._jobs.values()):
            return False
        self._last_id += 1
        number = self._last_id
        fields = (job.queue, job.key, job.kind, job.payload, JobStatus.PENDING, job.run_after, at, 0, 0, "")
        stored = Job(number, *fields, job.conversation)
        self._jobs[number] = stored
        return True

    async def take(self, queue: str, now: datetime, lease: timedelta, limit: int = 1) -> list[Job]:
        """Due jobs, oldest first, leased until ``now + lease``; none behind a pending one of its conversation."""
        pending = [j for j in self._jobs.values() if j.queue == queue and j.status is JobStatus.PENDING]
        due = [
            j
            for j in pending
            if j.run_after <= now
            and not (j.conversation and any(o.conversation == j.conversation and o.id < j.id for o in pending))
        ]
        taken = []
        for job in sorted(due, key=lambda j: j.id)[:limit]:
            job = dataclasses.replace(job, run_after=now + lease, attempts=job.attempts + 1)
            self._jobs[job.id] = job
            taken.append(job)
        return taken

    async def done(self, job_id: int, now: datetime) -> None:
        """Mark a job finished."""
        self._set(job_id, status=JobStatus.DONE, run_after=now)

    async def retry(
        self, job_id: int, run_after: datetime, error: str, *, payload: bytes | None = None, failed: bool = True
    ) -> None:
        """Run the job again at ``run_after``."""
        job = self._jobs[job_id]
        self._set(
            job_id,
            run_after=run_after,
            last_error=error[:ERROR_CHARS],
            payload=job.payload if payload is None else payload,
            failures=job.failures + (1 if failed else 0),
        )

    async def give_up(self, job_id: int, error: str) -> None:
        """Keep the job as failed."""
        self._set(job_id, status=JobStatus.FAILED, last_error=error[:ERROR_CHARS])

    async def get(self, job_id: int) -> Job | None:
        """The job with this id, if any."""
        return self._jobs.get(job_id)

    async def jobs(self, queue: str, status: JobStatus | None = None) -> list[Job]:
        """A queue's jobs, oldest first."""
        return [j for j in self._jobs.values() if j.queue == queue and (status is None or j.status is status)]

    async def counts(self, queue: str) -> dict[JobStatus, int]:
        """How many of a queue's jobs are in each status."""
        found = await self.jobs(queue)
        return {status: sum(j.status is status for j in found) for status in JobStatus}

    async def forget(self, before: datetime) -> int:
        """Delete finished jobs created before ``before``."""
        old = [n for n, j in self._jobs.items() if j.status is JobStatus.DONE and j.created_at < before]
        for number in old:
            del self._jobs[number]
        return len(old)

    def _set(self, job_id: int, **values: object) -> None:
        self._jobs[job_id] = dataclasses.replace(self._jobs[job_id], **values)  # type: ignore[arg-type]
