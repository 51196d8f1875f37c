"""The GitHub bot under trouble (rate limits, failing calls, restarts, no token) and working after the answer."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest

from core.jobs import JobStatus
from core.tickets.records import TicketStatus
from tests.adapters.github_world import REPO, World, closed, comment, make_world, opened, payload

pytestmark = pytest.mark.asyncio

ANSWERED = "App exits with code 137 right after deploy"


async def test_a_secondary_rate_limit_delays_and_then_completes_the_action(world: World) -> None:
    world.fake.fail_next(
        "POST", r"/labels$", 403, "You have exceeded a secondary rate limit. Please wait.", {"Retry-After": "30"}
    )
    await world.deliver("issues", opened(title=ANSWERED))
    await world.drain()
    label_posts = [c for c in world.fake.calls if c.path.endswith("/labels")]
    assert len(label_posts) == 1  # PyGithub did not sleep and retry inside the call
    assert world.fake.issue(REPO, 1).labels == [] and world.fake.issue(REPO, 1).comments == []
    [waiting] = await world.queue.jobs("github", JobStatus.PENDING)
    assert waiting.run_after == world.clock.now() + timedelta(seconds=30) and "rate limit" in waiting.last_error

    world.clock.advance(timedelta(seconds=29))
    assert await world.drain() == 0  # still waiting
    world.clock.advance(timedelta(seconds=1))
    assert await world.drain() == 1
    issue = world.fake.issue(REPO, 1)
    assert issue.labels == ["question", "P3-low", "needs-triage"] and len(issue.comments) == 1
    assert {job.status for job in await world.queue.jobs("github")} == {JobStatus.DONE}


async def test_a_primary_rate_limit_waits_for_the_reset_time_and_keeps_the_steps_already_done(world: World) -> None:
    reset = int((world.clock.now() + timedelta(minutes=20)).timestamp())
    headers = {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(reset)}
    world.fake.fail_next("POST", r"/comments$", 403, "API rate limit exceeded for installation.", headers)
    await world.deliver("issues", opened(title=ANSWERED))
    await world.drain()
    assert world.fake.issue(REPO, 1).labels != [] and world.fake.issue(REPO, 1).comments == []

    world.clock.advance(timedelta(minutes=20, seconds=1))
    await world.drain()
    label_posts = [c for c in world.fake.calls if c.path.endswith("/labels")]
    assert len(label_posts) == 1 and len(world.fake.issue(REPO, 1).comments) == 1


async def test_a_failing_call_is_retried_later_and_a_hopeless_one_is_given_up(world: World) -> None:
    world.fake.fail_next("POST", r"/labels$", 500, "Server Error")
    await world.deliver("issues", payload("issues.opened"))
    await world.drain()
    [job] = await world.queue.jobs("github", JobStatus.PENDING)
    assert job.failures == 1 and "500" in job.last_error
    world.clock.advance(timedelta(seconds=30))
    await world.drain()
    assert world.fake.issue(REPO, 1).labels != []

    world.fake.fail_next("POST", r"/labels$", 404, "Not Found")
    await world.deliver("issues", opened(title="Another"), delivery="d-404")
    data = opened(title="Another")
    data["issue"]["number"] = 2
    await world.deliver("issues", data, delivery="d-2")
    await world.drain()
    failed = await world.queue.jobs("github", JobStatus.FAILED)
    assert [j.key for j in failed] == ["d-404:triage"] and "404" in failed[0].last_error
    assert world.fake.issue(REPO, 2).labels != []  # one hopeless job does not hold up the others


async def test_a_job_interrupted_by_a_restart_is_completed_after_it(tmp_path: Path) -> None:
    db = tmp_path / "helpline.sqlite3"
    first = await make_world(db)
    await first.deliver("issues", opened(title=ANSWERED))
    # A worker takes the delivery and the process dies before it finishes.
    [taken] = await first.queue.take("github", first.clock.now(), timedelta(minutes=5))
    await first.close()

    second = await make_world(db, clock=first.clock)
    try:
        assert await second.drain() == 0  # the dead worker's lease still holds
        second.clock.advance(timedelta(minutes=5))
        assert await second.drain() == 2
        issue = second.fake.issue(REPO, 1)
        assert issue.labels == ["question", "P3-low", "needs-triage"] and len(issue.comments) == 1
        assert len(await second.store.tickets.list_tickets(active_only=False)) == 1
        job = await second.queue.get(taken.id)
        assert job is not None and (job.status, job.attempts) == (JobStatus.DONE, 2)
    finally:
        await second.close()


async def test_a_comment_after_a_restart_waits_for_its_issue_cut_off_by_the_crash(tmp_path: Path) -> None:
    db = tmp_path / "helpline.sqlite3"
    first = await make_world(db)
    await first.deliver("issues", opened(title=ANSWERED))
    await first.queue.take("github", first.clock.now(), timedelta(minutes=5))  # taken, then the process dies
    await first.close()

    second = await make_world(db, clock=first.clock)
    try:
        await second.deliver("issue_comment", comment("Still failing after the upgrade, same exit code."))
        assert await second.drain() == 0  # the comment waits for the issue's own delivery
        assert await second.store.tickets.list_tickets(active_only=False) == []
        second.clock.advance(timedelta(minutes=5))
        await second.drain()
        [ticket] = await second.store.tickets.list_tickets(active_only=False)
        assert ticket.subject.startswith(ANSWERED)  # opened by the issue, not by the comment
        texts = [m.text for m in await second.store.conversations.messages(ticket.number)]
        assert any("Still failing after the upgrade" in text for text in texts)
    finally:
        await second.close()


async def test_the_worker_runs_in_the_background_after_the_answer(world: World) -> None:
    await world.runner.start()
    try:
        response = await world.deliver("issues", opened(title=ANSWERED))
        assert response.status_code == 202
        for _ in range(200):  # the delivery wakes the worker; no drain() here
            if world.fake.issue(REPO, 1).comments:
                break
            await asyncio.sleep(0.02)
        assert len(world.fake.issue(REPO, 1).comments) == 1
    finally:
        await world.runner.close()


async def test_a_github_app_installation_token_is_fetched_and_used(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    app_env = {"GITHUB_APP_ID": "123", "GITHUB_APP_PRIVATE_KEY": pem, "GITHUB_APP_INSTALLATION_ID": "42"}
    world = await make_world(tmp_path / "db.sqlite3", token="", extra_env=app_env)
    try:
        await world.deliver("issues", payload("issues.opened"))
        await world.drain()
        token_call, *calls = world.fake.calls
        assert token_call.path == "/app/installations/42/access_tokens"
        assert token_call.authorization.startswith("Bearer ")  # the app's own JWT
        assert calls and all(call.authorization == "token ghs_installation_42" for call in calls)
        assert world.fake.issue(REPO, 1).labels
    finally:
        await world.close()


async def test_without_a_token_the_bot_keeps_tickets_but_calls_nothing(tmp_path: Path) -> None:
    world = await make_world(tmp_path / "db.sqlite3", token="")
    try:
        await world.deliver("issues", opened(title=ANSWERED))
        await world.drain()
        assert await world.ticket() is not None
        assert world.fake.calls == []
        ticket = await world.ticket()
        assert ticket is not None
        reply = await world.moderator(f"reply {ticket.number} hello")
        assert "could not be delivered" in reply.text and "GITHUB_TOKEN" in reply.text
    finally:
        await world.close()


async def test_the_status_route_shows_waiting_failed_and_paused_work(world: World) -> None:
    world.fake.fail_next("POST", r"/labels$", 429, "Too many requests", {"Retry-After": "120"})
    await world.deliver("issues", payload("issues.opened"))
    await world.drain()
    status = (await world.http.get("/github/status")).json()
    assert status["jobs"] == {"pending": 1, "done": 1, "failed": 0}
    assert status["paused_until"] == (world.clock.now() + timedelta(seconds=120)).isoformat()
    world.clock.advance(timedelta(minutes=2))
    await world.drain()
    assert (await world.http.get("/github/status")).json() == {
        "jobs": {"pending": 0, "done": 2, "failed": 0},
        "paused_until": None,
    }


async def test_while_rate_limited_nothing_is_sent_but_tickets_keep_in_step(world: World) -> None:
    world.fake.fail_next("POST", r"/labels$", 403, "You have exceeded a secondary rate limit", {"Retry-After": "60"})
    await world.deliver("issues", payload("issues.opened"))
    await world.drain()
    calls = len(world.fake.calls)

    await world.deliver("issues", closed())
    await world.drain()
    ticket = await world.ticket()
    assert ticket is not None and ticket.status is TicketStatus.RESOLVED  # the core's side does not wait
    assert len(world.fake.calls) == calls  # and GitHub was not called again during the limit

    world.clock.advance(timedelta(seconds=60))
    await world.drain()
    assert world.fake.issue(REPO, 1).labels == ["documentation", "P2-medium", "needs-triage"]
