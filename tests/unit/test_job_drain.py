"""The one durable job drain on the in-memory queue: run, back off, give up, postpone, forget, keep the order."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

import pytest

from core.clock import ManualClock
from core.commands import CommandError
from core.job_drain import DrainPolicy, GiveUp, JobDrain, Postpone, drains_on
from core.jobs import Job, JobStatus
from tests.desk_fakes import START
from tests.job_fakes import InMemoryJobQueue

pytestmark = pytest.mark.asyncio

POLICY = DrainPolicy(
    label="Test job",
    lease=timedelta(minutes=2),
    first_backoff=timedelta(seconds=10),
    last_backoff=timedelta(seconds=25),
    max_attempts=4,
    keep_done=timedelta(days=7),
    tidy_every=timedelta(hours=1),
)


class QuietError(Exception):
    """An error whose message says it all."""


class Handler:
    """Records the jobs it runs; fails with the errors it is given, one per run."""

    def __init__(self, *failures: Exception) -> None:
        self.ran: list[tuple[str, bytes]] = []
        self.failures = list(failures)

    async def __call__(self, job: Job) -> None:
        self.ran.append((job.key, job.payload))
        if self.failures:
            raise self.failures.pop(0)


def drain_with(handler: Handler, policy: DrainPolicy = POLICY) -> tuple[JobDrain, InMemoryJobQueue, ManualClock]:
    queue, clock = InMemoryJobQueue(), ManualClock(START)
    return drains_on(queue, clock)("test", handler, policy), queue, clock


async def test_accepted_jobs_run_oldest_first_and_are_done() -> None:
    handler = Handler()
    drain, queue, clock = drain_with(handler)
    for key in ("a", "b", "c"):
        assert await drain.accept(key, "kind", key.encode())
    assert not await drain.accept("a", "kind", b"again")  # the same key is stored once
    assert await drain.run_once() == 3
    assert handler.ran == [("a", b"a"), ("b", b"b"), ("c", b"c")]
    assert await drain.counts() == {JobStatus.PENDING: 0, JobStatus.DONE: 3, JobStatus.FAILED: 0}
    [job, *_] = await queue.jobs("test")
    assert (job.queue, job.kind, job.created_at) == ("test", "kind", clock.now())  # stored with the drain's clock
    assert await drain.run_once() == 0


async def test_a_failing_job_backs_off_doubling_up_to_the_cap_then_is_given_up() -> None:
    handler = Handler(*(OSError(f"down {n}") for n in range(4)))
    drain, queue, clock = drain_with(handler)
    await drain.accept("k", "kind", b"")
    waits = []
    for _ in range(3):
        await drain.run_once()
        [job] = await queue.jobs("test", JobStatus.PENDING)
        waits.append(job.run_after - clock.now())
        clock.advance(job.run_after - clock.now())
    assert waits == [timedelta(seconds=10), timedelta(seconds=20), timedelta(seconds=25)]
    assert job.failures == 3 and job.last_error == "OSError: down 2"
    await drain.run_once()  # the fourth failure is the last attempt
    [failed] = await queue.jobs("test", JobStatus.FAILED)
    assert failed.last_error == "OSError: down 3" and len(handler.ran) == 4


async def test_give_up_is_at_once_and_keeps_the_reason() -> None:
    drain, queue, _ = drain_with(Handler(GiveUp("unreadable: not JSON")))
    await drain.accept("k", "kind", b"{")
    await drain.run_once()
    [failed] = await queue.jobs("test", JobStatus.FAILED)
    assert (failed.last_error, failed.failures) == ("unreadable: not JSON", 0)


async def test_a_job_that_cannot_succeed_is_given_up_at_once_and_logged_once(caplog: pytest.LogCaptureFixture) -> None:
    handler = Handler(TypeError("'NoneType' object is not subscriptable"), CommandError("no ticket #99"))
    drain, queue, clock = drain_with(handler)
    for key in ("malformed", "refused", "next"):
        await drain.accept(key, "kind", key.encode(), conversation="thread-1")
    with caplog.at_level(logging.WARNING, "helpline.jobs"):
        assert await drain.run_once() == 3
        clock.advance(timedelta(hours=1))
        assert await drain.run_once() == 0  # nothing is tried again
    assert [key for key, _ in handler.ran] == ["malformed", "refused", "next"]  # its conversation goes on
    failed = {j.key: j for j in await queue.jobs("test", JobStatus.FAILED)}
    assert failed["malformed"].last_error == "TypeError: 'NoneType' object is not subscriptable"
    assert failed["refused"].last_error == "CommandError: no ticket #99" and failed["refused"].failures == 0
    malformed, refused = caplog.records
    assert malformed.getMessage().startswith("Test job malformed cannot succeed, given up: TypeError")
    assert malformed.exc_info is not None and refused.levelno == logging.ERROR


async def test_a_drain_cut_off_mid_job_leaves_only_that_job_behind_its_lease() -> None:
    started, release = asyncio.Event(), asyncio.Event()

    async def stuck(job: Job) -> None:
        if job.key == "cut off":
            started.set()
            await release.wait()

    policy = POLICY
    queue, clock = InMemoryJobQueue(), ManualClock(START)
    dying = JobDrain(queue, "test", stuck, clock, policy)
    for key, thread in (("cut off", "thread-1"), ("other", "thread-2"), ("follow-up", "thread-1")):
        await dying.accept(key, "kind", b"", conversation=thread)
    running = asyncio.ensure_future(dying.run_once())
    await started.wait()
    running.cancel()  # the process dies mid-job
    await asyncio.gather(running, return_exceptions=True)
    handler = Handler()
    restarted = JobDrain(queue, "test", handler, clock, policy)
    assert await restarted.run_once() == 1 and handler.ran == [("other", b"")]  # no batch stranded behind a lease
    clock.advance(policy.lease)
    assert await restarted.run_once() == 2
    assert [key for key, _ in handler.ran] == ["other", "cut off", "follow-up"]


async def test_postpone_waits_without_counting_a_failure_and_keeps_the_rest_of_the_work() -> None:
    ran: list[bytes] = []
    queue, clock = InMemoryJobQueue(), ManualClock(START)

    async def limited(job: Job) -> None:
        ran.append(job.payload)
        if len(ran) <= 6:  # more postponements than max_attempts: it is never given up for them
            raise Postpone(clock.now() + timedelta(minutes=5), b"rest", "rate limited")

    drain = JobDrain(queue, "test", limited, clock, POLICY)
    await drain.accept("k", "kind", b"all")
    for _ in range(6):
        assert await drain.run_once() == 1
        [job] = await queue.jobs("test", JobStatus.PENDING)
        assert job.run_after == clock.now() + timedelta(minutes=5)
        assert await drain.run_once() == 0  # not before its time
        clock.advance(timedelta(minutes=5))
    assert (job.failures, job.payload, job.last_error) == (0, b"rest", "rate limited")
    await drain.run_once()
    assert ran == [b"all", *[b"rest"] * 6]
    assert await drain.counts() == {JobStatus.PENDING: 0, JobStatus.DONE: 1, JobStatus.FAILED: 0}


class CountingQueue(InMemoryJobQueue):
    """Counts how often it was asked to forget."""

    def __init__(self) -> None:
        super().__init__()
        self.forgets = 0

    async def forget(self, before: datetime) -> int:
        self.forgets += 1
        return await super().forget(before)


async def test_tidy_forgets_long_finished_jobs_at_most_once_every_period() -> None:
    queue, clock = CountingQueue(), ManualClock(START)
    drain = JobDrain(queue, "test", Handler(), clock, POLICY)
    await drain.accept("old", "kind", b"")
    await drain.run_once()
    assert await drain.tidy() == 0  # kept a week
    clock.advance(timedelta(minutes=59))
    assert await drain.tidy() == 0 and queue.forgets == 1  # within the hour: not even asked
    clock.advance(timedelta(days=7))
    await drain.accept("new", "kind", b"")
    await drain.run_once()
    assert await drain.tidy() == 1 and queue.forgets == 2
    assert [job.key for job in await queue.jobs("test")] == ["new"]


async def test_two_passes_at_once_keep_the_order_of_the_queue() -> None:
    order: list[str] = []

    async def slow(job: Job) -> None:
        await asyncio.sleep(0.01 if job.key == "first" else 0)
        order.append(job.key)

    queue, clock = InMemoryJobQueue(), ManualClock(START)
    drain = JobDrain(queue, "test", slow, clock, POLICY)
    await drain.accept("first", "kind", b"")
    await drain.accept("second", "kind", b"")
    await asyncio.gather(drain.run_once(), drain.run_once())
    assert order == ["first", "second"]


async def test_quiet_errors_are_logged_without_their_traceback(caplog: pytest.LogCaptureFixture) -> None:
    policy = DrainPolicy("Test job", timedelta(minutes=1), timedelta(seconds=1), 5, quiet=(QuietError,))
    drain, _, _ = drain_with(Handler(QuietError("404 Not Found"), ValueError("a bug")), policy)
    await drain.accept("a", "kind", b"")
    await drain.accept("b", "kind", b"")
    with caplog.at_level(logging.WARNING, "helpline.jobs"):
        await drain.run_once()
    quiet, loud = caplog.records
    assert quiet.getMessage() == "Test job a failed (QuietError: 404 Not Found); retrying in 0:00:01"
    assert quiet.exc_info is None and loud.exc_info is not None


async def test_run_forever_wakes_for_new_work_and_survives_a_failing_pass() -> None:
    handler = Handler()
    drain, queue, _ = drain_with(handler)
    stop = asyncio.Event()
    broken = [True]
    take = queue.take

    async def flaky_take(*args: object, **kwargs: object) -> list[Job]:
        if broken[0]:
            broken[0] = False
            raise OSError("database unreachable")
        return await take(*args, **kwargs)  # type: ignore[arg-type]

    queue.take = flaky_take  # type: ignore[method-assign]
    running = asyncio.create_task(drain.run_forever(stop, poll=60))
    while broken[0]:  # until the first pass has failed (and was logged)
        await asyncio.sleep(0.01)
    await drain.accept("k", "kind", b"")
    drain.wake()
    for _ in range(100):
        if handler.ran:
            break
        await asyncio.sleep(0.01)
    stop.set()
    await running
    assert handler.ran == [("k", b"")]


async def test_a_drain_runs_other_conversations_while_one_waits() -> None:
    answered = asyncio.Event()
    order: list[str] = []

    async def handler(job: Job) -> None:
        if job.key == "slow question":
            await answered.wait()  # only another conversation's job, running meanwhile, lets this one finish
        if job.key == "quick question":
            answered.set()
        order.append(job.key)

    queue, clock = InMemoryJobQueue(), ManualClock(START)
    drain = JobDrain(queue, "test", handler, clock, POLICY, concurrency=2)
    await drain.accept("slow question", "kind", b"", conversation="thread-1")
    await drain.accept("its follow-up", "kind", b"", conversation="thread-1")
    await drain.accept("quick question", "kind", b"", conversation="thread-2")
    assert await asyncio.wait_for(drain.run_once(), 5) == 3
    assert order == ["quick question", "slow question", "its follow-up"]  # the follow-up waited for its question


async def test_a_job_accepted_during_a_pass_starts_before_the_running_jobs_end() -> None:
    release = asyncio.Event()
    started: list[str] = []

    async def handler(job: Job) -> None:
        started.append(job.key)
        if job.key == "long":
            await release.wait()

    queue, clock = InMemoryJobQueue(), ManualClock(START)
    drain = JobDrain(queue, "test", handler, clock, POLICY, concurrency=4)
    await drain.accept("long", "kind", b"", conversation="thread-1")
    passing = asyncio.ensure_future(drain.run_once())
    while not started:
        await asyncio.sleep(0)
    await drain.accept("new", "kind", b"", conversation="thread-2")
    while len(started) < 2:  # the running pass took it; no second pass was asked for
        await asyncio.sleep(0)
    release.set()
    assert await passing == 2 and started == ["long", "new"]


async def test_a_drain_refuses_to_run_no_jobs_at_a_time() -> None:
    with pytest.raises(ValueError, match="at least one job at a time, not 0"):
        JobDrain(InMemoryJobQueue(), "test", Handler(), ManualClock(START), POLICY, concurrency=0)


async def test_a_policy_can_cap_how_many_jobs_run_at_once() -> None:
    capped = DrainPolicy("Test job", timedelta(minutes=1), timedelta(seconds=1), 5, most_at_once=1)
    order: list[str] = []

    async def slow(job: Job) -> None:
        await asyncio.sleep(0.01 if job.key == "first" else 0)
        order.append(job.key)

    drain = JobDrain(InMemoryJobQueue(), "test", slow, ManualClock(START), capped, concurrency=8)
    await drain.accept("first", "kind", b"")
    await drain.accept("second", "kind", b"")  # no conversation, yet after the first
    await drain.run_once()
    assert (drain.concurrency, order) == (1, ["first", "second"])
