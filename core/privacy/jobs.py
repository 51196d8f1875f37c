"""A job queue that redacts what it accepts: a queued webhook or Slack event keeps no token in clear.

The payloads are the platforms' JSON; every string value in them is redacted (keys and numbers are left as
they are, so the translators read the payload as before). A payload that is not JSON is redacted as text, and
one that is not even UTF-8 is stored as it came: there is no text in it to read.
"""

from __future__ import annotations

import dataclasses
import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import datetime, timedelta

    from core.jobs import Job, JobQueue, JobStatus, NewJob
    from core.privacy.redaction import Redactor


def redact_payload(payload: bytes, redactor: Redactor) -> bytes:
    """``payload`` with secrets and personal data replaced; the same bytes when there was nothing to replace."""
    try:
        text = payload.decode("utf-8")
    except UnicodeDecodeError:
        return payload
    try:
        document = json.loads(text)
    except ValueError:
        cleaned = redactor.redact(text)
        return cleaned.text.encode("utf-8") if cleaned.kinds else payload
    found: list[bool] = []
    cleaned_document = _walk(document, redactor, found)
    return json.dumps(cleaned_document, ensure_ascii=False).encode("utf-8") if found else payload


def _walk(value: object, redactor: Redactor, found: list[bool]) -> object:
    if isinstance(value, str):
        cleaned = redactor.redact(value)
        if cleaned.kinds:
            found.append(True)
        return cleaned.text
    if isinstance(value, list):
        return [_walk(item, redactor, found) for item in value]
    if isinstance(value, dict):
        return {key: _walk(item, redactor, found) for key, item in value.items()}
    return value


class RedactingQueue:
    """Wraps a ``JobQueue``: payloads are redacted on the way in (new jobs and a retry's rest of work)."""

    def __init__(self, inner: JobQueue, redactor: Redactor) -> None:
        self.inner = inner
        self.redactor = redactor

    async def enqueue(self, job: NewJob, at: datetime) -> bool:
        """Store ``job`` with its payload redacted."""
        payload = redact_payload(job.payload, self.redactor)
        return await self.inner.enqueue(dataclasses.replace(job, payload=payload), at)

    async def take(self, queue: str, now: datetime, lease: timedelta, limit: int = 1) -> list[Job]:
        """As the inner queue."""
        return await self.inner.take(queue, now, lease, limit)

    async def done(self, job_id: int, now: datetime) -> None:
        """As the inner queue."""
        await self.inner.done(job_id, now)

    async def retry(
        self, job_id: int, run_after: datetime, error: str, *, payload: bytes | None = None, failed: bool = True
    ) -> None:
        """As the inner queue, with the rest of the work redacted too."""
        rest = None if payload is None else redact_payload(payload, self.redactor)
        await self.inner.retry(job_id, run_after, error, payload=rest, failed=failed)

    async def give_up(self, job_id: int, error: str) -> None:
        """As the inner queue."""
        await self.inner.give_up(job_id, error)

    async def get(self, job_id: int) -> Job | None:
        """As the inner queue."""
        return await self.inner.get(job_id)

    async def jobs(self, queue: str, status: JobStatus | None = None) -> list[Job]:
        """As the inner queue."""
        return await self.inner.jobs(queue, status)

    async def counts(self, queue: str) -> dict[JobStatus, int]:
        """As the inner queue."""
        return await self.inner.counts(queue)

    async def forget(self, before: datetime) -> int:
        """As the inner queue."""
        return await self.inner.forget(before)
