"""The job queue in the ticket store's database, so jobs survive a restart with the tickets they touch."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import delete, exists, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from core.jobs import Job, JobStatus
from core.store.engine import writer
from core.store.schema import DELIVERY_ID_LENGTH, PLATFORM_LENGTH, jobs

if TYPE_CHECKING:
    from datetime import datetime, timedelta

    from sqlalchemy import RowMapping
    from sqlalchemy.ext.asyncio import AsyncEngine

    from core.jobs import NewJob

ERROR_CHARS = 2000


class SqlJobQueue:
    """A ``JobQueue`` in a SQL database; taking jobs is a write transaction, so two workers never share one."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._writer = writer(engine)

    async def enqueue(self, job: NewJob, at: datetime) -> bool:
        """Store ``job``; False (and nothing stored) if its queue already has a job with this key."""
        check_job(job)
        values = {
            "queue": job.queue,
            "key": job.key,
            "kind": job.kind,
            "payload": job.payload,
            "status": JobStatus.PENDING.value,
            "run_after": job.run_after,
            "created_at": at,
            "attempts": 0,
            "failures": 0,
            "last_error": "",
            "conversation": job.conversation,
        }
        try:
            async with self._writer.begin() as conn:
                await conn.execute(insert(jobs).values(values))
        except IntegrityError:
            # The unique (queue, key) decides, so two processes cannot both queue the same delivery.
            same = jobs.c.queue == job.queue, jobs.c.key == job.key
            async with self._engine.connect() as conn:
                if (await conn.execute(select(jobs.c.id).where(*same))).first() is not None:
                    return False
            raise
        return True

    async def take(self, queue: str, now: datetime, lease: timedelta, limit: int = 1) -> list[Job]:
        """Pending jobs due at ``now``, oldest first, each hidden from other takers until ``now + lease``.

        A job waits while an older pending job of its queue has the same non-empty ``conversation``.
        """
        due = jobs.c.queue == queue, jobs.c.status == JobStatus.PENDING.value, jobs.c.run_after <= now
        older = jobs.alias("older")
        # Pending covers leased and waiting-for-a-retry: the older job is not finished, whoever holds it.
        ahead = exists().where(
            older.c.queue == jobs.c.queue,
            older.c.conversation == jobs.c.conversation,
            older.c.status == JobStatus.PENDING.value,
            older.c.id < jobs.c.id,
        )
        free = or_(jobs.c.conversation == "", ~ahead)
        async with self._writer.begin() as conn:
            # SKIP LOCKED lets PostgreSQL workers in several processes pass each other; on SQLite the write lock does.
            query = select(jobs).where(*due, free).order_by(jobs.c.id).limit(limit)
            found = list((await conn.execute(query.with_for_update(skip_locked=True, of=jobs))).mappings())
            ids = [row["id"] for row in found]
            if ids:
                # The lease: a worker that dies holding the job lets it come due again once this passes.
                moved = {"run_after": now + lease, "attempts": jobs.c.attempts + 1}
                await conn.execute(update(jobs).where(jobs.c.id.in_(ids)).values(moved))
        return [_job(row, attempts=row["attempts"] + 1) for row in found]

    async def done(self, job_id: int, now: datetime) -> None:
        """Mark a job finished."""
        await self._set(job_id, status=JobStatus.DONE.value, run_after=now)

    async def retry(
        self, job_id: int, run_after: datetime, error: str, *, payload: bytes | None = None, failed: bool = True
    ) -> None:
        """Run the job again at ``run_after`` (with the rest of its work in ``payload``, if given)."""
        values: dict[str, object] = {"run_after": run_after, "last_error": error[:ERROR_CHARS]}
        if payload is not None:
            values["payload"] = payload
        if failed:
            values["failures"] = jobs.c.failures + 1
        await self._set(job_id, **values)

    async def give_up(self, job_id: int, error: str) -> None:
        """Stop trying a job; it stays stored as failed, with the reason."""
        await self._set(job_id, status=JobStatus.FAILED.value, last_error=error[:ERROR_CHARS])

    async def get(self, job_id: int) -> Job | None:
        """The job with this id, if any."""
        async with self._engine.connect() as conn:
            row = (await conn.execute(select(jobs).where(jobs.c.id == job_id))).mappings().first()
        return _job(row) if row is not None else None

    async def jobs(self, queue: str, status: JobStatus | None = None) -> list[Job]:
        """A queue's jobs (of one status, if given), oldest first."""
        query = select(jobs).where(jobs.c.queue == queue)
        if status is not None:
            query = query.where(jobs.c.status == status.value)
        async with self._engine.connect() as conn:
            return [_job(row) for row in (await conn.execute(query.order_by(jobs.c.id))).mappings()]

    async def counts(self, queue: str) -> dict[JobStatus, int]:
        """How many of a queue's jobs are in each status (every status present, zero included)."""
        query = select(jobs.c.status, func.count()).where(jobs.c.queue == queue).group_by(jobs.c.status)
        async with self._engine.connect() as conn:
            found = {JobStatus(status): count for status, count in (await conn.execute(query)).all()}
        return {status: found.get(status, 0) for status in JobStatus}

    async def forget(self, before: datetime) -> int:
        """Delete finished jobs created before ``before``; returns how many."""
        old = jobs.c.status == JobStatus.DONE.value, jobs.c.created_at < before
        async with self._writer.begin() as conn:
            forgotten = await conn.execute(delete(jobs).where(*old))
        return forgotten.rowcount

    async def _set(self, job_id: int, **values: object) -> None:
        async with self._writer.begin() as conn:
            await conn.execute(update(jobs).where(jobs.c.id == job_id).values(**values))


def _job(row: RowMapping, attempts: int | None = None) -> Job:
    return Job(
        id=row["id"],
        queue=row["queue"],
        key=row["key"],
        kind=row["kind"],
        payload=bytes(row["payload"]),
        status=JobStatus(row["status"]),
        run_after=row["run_after"],
        created_at=row["created_at"],
        attempts=row["attempts"] if attempts is None else attempts,
        failures=row["failures"],
        last_error=row["last_error"],
        conversation=row["conversation"],
    )


def check_job(job: NewJob) -> None:
    """Refuse a job the table cannot hold, naming the limits (the fake queue checks the same)."""
    sizes = (len(job.queue), PLATFORM_LENGTH), (len(job.key), DELIVERY_ID_LENGTH)
    if any(not 0 < size <= most for size, most in sizes) or len(job.conversation) > DELIVERY_ID_LENGTH:
        raise ValueError(
            f"a job needs a queue (1-{PLATFORM_LENGTH}), a key (1-{DELIVERY_ID_LENGTH}) "
            f"and a conversation of at most {DELIVERY_ID_LENGTH} characters"
        )
