"""The job queue: one job per key, leases that outlive a dead worker, retries, and its migration.

The contract runs on the in-memory fake, SQLite and PostgreSQL (the ``store`` fixture); the migration on SQLite.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import pytest_asyncio
from alembic import command
from sqlalchemy import insert
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from core.clock import ManualClock
from core.jobs import JobStatus, NewJob
from core.store.engine import create_engine_for, sqlite_url, writer
from core.store.job_queue import SqlJobQueue
from core.store.migrate import alembic_config, upgrade_schema
from core.store.schema import jobs
from core.stores import Stores
from tests.job_concurrency import check_concurrent_order

pytestmark = pytest.mark.asyncio

T0 = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
LEASE = timedelta(minutes=5)


def job(key: str, run_after: datetime = T0, payload: bytes = b"{}", conversation: str = "") -> NewJob:
    return NewJob("github", key, "webhook", payload, run_after, conversation)


@pytest_asyncio.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = create_engine_for(sqlite_url(tmp_path / "helpline.sqlite3"))
    try:
        await upgrade_schema(engine)
        yield engine
    finally:
        await engine.dispose()


async def test_a_key_is_queued_once_per_queue(store: Stores) -> None:
    queue = store.jobs
    assert await queue.enqueue(job("d1"), T0)
    assert not await queue.enqueue(job("d1", payload=b"other"), T0)
    assert await queue.enqueue(NewJob("slack", "d1", "webhook", b"{}", T0), T0)
    [stored] = await queue.jobs("github")
    assert (stored.payload, stored.status, stored.attempts) == (b"{}", JobStatus.PENDING, 0)
    with pytest.raises(ValueError, match="key"):
        await queue.enqueue(job("x" * 256), T0)


async def test_taken_jobs_are_hidden_until_their_lease_ends(store: Stores) -> None:
    queue = store.jobs
    await queue.enqueue(job("a"), T0)
    await queue.enqueue(job("later", T0 + timedelta(hours=1)), T0)
    [taken] = await queue.take("github", T0, LEASE)
    assert (taken.key, taken.attempts) == ("a", 1)
    assert await queue.take("github", T0 + LEASE - timedelta(seconds=1), LEASE) == []
    [again] = await queue.take("github", T0 + LEASE, LEASE)  # the first taker died: the job comes back
    assert (again.id, again.attempts) == (taken.id, 2)
    await queue.done(again.id, T0 + LEASE)
    assert [j.key for j in await queue.take("github", T0 + timedelta(hours=1), LEASE)] == ["later"]


async def test_a_job_waits_while_an_older_one_of_its_conversation_is_pending(store: Stores) -> None:
    queue = store.jobs
    for key, conversation in (("q1", "thread-1"), ("q2", "thread-2"), ("f1", "thread-1"), ("free", "")):
        await queue.enqueue(job(key, conversation=conversation), T0)
    [q1] = await queue.take("github", T0, LEASE)
    # q1 is leased (its worker may have died): its follow-up f1 waits, other conversations pass it.
    taken = await queue.take("github", T0, LEASE, limit=10)
    assert [(j.key, j.conversation) for j in taken] == [("q2", "thread-2"), ("free", "")]
    assert await queue.take("github", T0 + LEASE - timedelta(seconds=1), LEASE) == []
    # Waiting for a retry still holds the conversation; the follow-up never runs before it.
    await queue.retry(q1.id, T0 + timedelta(seconds=30), "500 from GitHub")
    assert await queue.take("github", T0 + timedelta(seconds=29), LEASE) == []
    assert [j.key for j in await queue.take("github", T0 + timedelta(seconds=30), LEASE, limit=10)] == ["q1"]
    await queue.done(q1.id, T0 + timedelta(seconds=31))
    assert [j.key for j in await queue.take("github", T0 + timedelta(seconds=31), LEASE)] == ["f1"]


async def test_a_job_given_up_lets_its_conversation_go_on(store: Stores) -> None:
    queue = store.jobs
    for key in ("q1", "f1"):
        await queue.enqueue(job(key, conversation="thread-1"), T0)
    [q1] = await queue.take("github", T0, LEASE)
    await queue.give_up(q1.id, "TypeError: unreadable")
    [f1] = await queue.take("github", T0, LEASE)
    assert (f1.key, f1.conversation) == ("f1", "thread-1")
    with pytest.raises(ValueError, match="conversation"):
        await queue.enqueue(job("long", conversation="x" * 256), T0)


async def test_retry_moves_the_job_keeps_the_rest_of_its_work_and_counts_only_failures(store: Stores) -> None:
    queue = store.jobs
    await queue.enqueue(job("a", payload=b"all"), T0)
    [taken] = await queue.take("github", T0, LEASE)
    await queue.retry(taken.id, T0 + timedelta(seconds=30), "rate limited", payload=b"rest", failed=False)
    await queue.retry(taken.id, T0 + timedelta(seconds=60), "500 from GitHub")
    stored = await queue.get(taken.id)
    assert stored is not None
    assert (stored.payload, stored.failures, stored.last_error) == (b"rest", 1, "500 from GitHub")
    assert stored.run_after == T0 + timedelta(seconds=60)
    await queue.give_up(taken.id, "404")
    assert [j.key for j in await queue.jobs("github", JobStatus.FAILED)] == ["a"]
    assert await queue.take("github", T0 + timedelta(days=1), LEASE) == []


async def test_forget_deletes_only_old_finished_jobs(store: Stores) -> None:
    queue = store.jobs
    for key in ("done", "pending", "failed"):
        await queue.enqueue(job(key), T0)
    jobs = {j.key: j for j in await queue.jobs("github")}
    await queue.done(jobs["done"].id, T0)
    await queue.give_up(jobs["failed"].id, "no")
    assert await queue.forget(T0 + timedelta(days=8)) == 1
    assert sorted(j.key for j in await queue.jobs("github")) == ["failed", "pending"]


async def test_downgrading_below_0003_drops_only_the_jobs_table(engine: AsyncEngine) -> None:
    queue = SqlJobQueue(engine)
    await queue.enqueue(job("d1"), T0)

    def down(connection: Connection) -> None:
        command.downgrade(alembic_config(connection), "0002")

    async with writer(engine).begin() as connection:
        await connection.run_sync(down)
    await upgrade_schema(engine)
    assert await queue.jobs("github") == []
    assert await queue.enqueue(job("d1"), T0)


async def test_upgrading_to_0007_keeps_queued_jobs_without_an_order(engine: AsyncEngine) -> None:
    queue = SqlJobQueue(engine)

    def down(connection: Connection) -> None:
        command.downgrade(alembic_config(connection), "0004_sla")

    async with writer(engine).begin() as connection:
        await connection.run_sync(down)
        old_columns = {"kind": "event", "payload": b"{}", "status": "pending", "run_after": T0, "created_at": T0}
        old_columns |= {"attempts": 0, "failures": 0, "last_error": ""}  # a job as stored before 0007: no conversation
        await connection.execute(insert(jobs).values(queue="slack", key="event:old", **old_columns))
    await upgrade_schema(engine)
    [old] = await queue.take("slack", T0 + timedelta(seconds=1), LEASE)
    assert (old.key, old.conversation) == ("event:old", "")


async def test_counts_cover_every_status(store: Stores) -> None:
    queue = store.jobs
    assert await queue.counts("github") == {JobStatus.PENDING: 0, JobStatus.DONE: 0, JobStatus.FAILED: 0}
    await queue.enqueue(job("a"), T0)
    await queue.enqueue(job("b"), T0)
    [first, _] = await queue.jobs("github")
    await queue.give_up(first.id, "no")
    assert await queue.counts("github") == {JobStatus.PENDING: 1, JobStatus.DONE: 0, JobStatus.FAILED: 1}


async def test_two_drains_of_four_at_once_keep_every_conversations_order(store: Stores) -> None:
    await check_concurrent_order(store.jobs, ManualClock(T0))
