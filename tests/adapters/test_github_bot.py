"""The GitHub bot end to end: signed recorded deliveries in, tickets in the store, calls on a fake GitHub out."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
import pytest_asyncio

from core.jobs import JobStatus
from core.tickets import Role, TicketStatus
from tests.adapters.github_world import REPO, World, closed, comment, make_world, opened, payload

pytestmark = pytest.mark.asyncio

ANSWERED = "App exits with code 137 right after deploy"


@pytest_asyncio.fixture
async def world(tmp_path: Path) -> AsyncIterator[World]:
    """The bot on a fresh SQLite database and a fresh fake GitHub."""
    world = await make_world(tmp_path / "helpline.sqlite3")
    try:
        yield world
    finally:
        await world.close()


async def test_an_opened_issue_the_knowledge_base_answers_gets_labels_and_one_comment(world: World) -> None:
    response = await world.deliver("issues", opened(title=ANSWERED, body="Exit code 137, what does it mean?"))
    assert response.status_code == 202
    assert world.fake.calls == []  # nothing is called on GitHub before the answer
    assert await world.drain() == 2  # the delivery, then the actions it queued

    issue = world.fake.issue(REPO, 1)
    assert issue.labels == ["question", "P3-low", "needs-triage"]
    [posted] = issue.comments
    assert "known issue" in posted and "reply here" in posted
    assert "ran out of memory" in posted and "(https://docs.example.com/oom)" in posted
    ticket = await world.ticket()
    assert ticket is not None and f"ticket #{ticket.number}" in posted
    assert (ticket.status, ticket.tier, ticket.requester_id) == (TicketStatus.NEW, "community", "Codertocat")
    assert all(call.authorization == "token ghp_test" for call in world.fake.calls)

    assert await world.drain() == 0
    assert len(world.fake.issue(REPO, 1).comments) == 1  # once, and only once


async def test_an_opened_issue_it_cannot_answer_gets_labels_and_a_ticket_but_no_comment(world: World) -> None:
    assert (await world.deliver("issues", payload("issues.opened"))).status_code == 202
    await world.drain()

    issue = world.fake.issue(REPO, 1)
    assert issue.labels == ["documentation", "P2-medium", "needs-triage"]  # "Spelling error in the README file"
    assert issue.comments == []
    ticket = await world.ticket()
    assert ticket is not None and ticket.subject == "Spelling error in the README file"
    [kept] = await world.store.messages(ticket.number)
    assert (kept.role, kept.author_id) == (Role.CUSTOMER, "Codertocat") and "two 't's" in kept.text


async def test_a_crash_report_is_a_bug_with_high_priority(world: World) -> None:
    await world.deliver("issues", opened(title="CLI crashes on start", body="Stack trace below"))
    await world.drain()
    labels = world.fake.issue(REPO, 1).labels
    assert labels[:2] == ["bug", "P1-high"]


async def test_the_same_delivery_posted_twice_changes_nothing_the_second_time(world: World) -> None:
    first = await world.deliver("issues", opened(title=ANSWERED), delivery="d-1")
    await world.drain()
    calls, ticket = list(world.fake.calls), await world.ticket()

    again = await world.deliver("issues", opened(title=ANSWERED), delivery="d-1")
    assert (first.status_code, again.status_code, again.json()["status"]) == (202, 200, "duplicate")
    assert await world.drain() == 0
    assert world.fake.calls == calls
    assert await world.ticket() == ticket
    assert len(await world.store.list_tickets(active_only=False)) == 1


async def test_forged_unsigned_and_replayed_deliveries_are_refused_and_create_nothing(world: World) -> None:
    body = payload("issues.opened")
    forged = await world.deliver("issues", body, sign_with="not the secret")
    unsigned = await world.deliver("issues", body, signature="")
    genuine_signature = await _signature_of(world, opened(title="the genuine one"))
    replayed = await world.deliver("issues", opened(title="something else"), signature=genuine_signature)
    sha1 = await world.deliver("issues", body, signature="sha1=0123")
    assert [r.status_code for r in (forged, unsigned, replayed, sha1)] == [401, 401, 401, 401]
    assert await world.drain() == 0
    assert await world.queue.jobs("github") == []
    assert await world.store.list_tickets(active_only=False) == []
    assert world.fake.calls == []


async def _signature_of(world: World, data: dict[str, object]) -> str:
    import json

    from bots.github.translate import sign
    from tests.adapters.github_world import SECRET

    return sign(SECRET, json.dumps(data).encode("utf-8"))


async def test_without_a_secret_every_delivery_is_refused(tmp_path: Path) -> None:
    world = await make_world(tmp_path / "db.sqlite3", secret="")
    try:
        response = await world.deliver("issues", payload("issues.opened"), sign_with="")
        assert response.status_code == 401 and "GITHUB_WEBHOOK_SECRET" in response.json()["error"]
        assert await world.queue.jobs("github") == []
    finally:
        await world.close()


async def test_unreadable_deliveries_are_refused_with_400(world: World) -> None:
    not_json = await world.deliver("issues", b"{not json")
    no_issue = await world.deliver("issues", {"action": "opened", "repository": {}})
    no_event = await world.http.post("/github/webhook", content=b"{}", headers={"X-Hub-Signature-256": "x"})
    assert [r.status_code for r in (not_json, no_issue)] == [400, 400]
    assert no_event.status_code == 401  # the signature is checked before anything is read
    assert await world.queue.jobs("github") == []


async def test_ping_is_answered_and_events_helpline_does_not_use_are_ignored(world: World) -> None:
    ping = await world.deliver("ping", payload("ping"))
    labeled = await world.deliver("issues", payload("issues.labeled"))
    installation = await world.deliver("installation", payload("installation.created"))
    assert (ping.status_code, ping.json()["status"]) == (200, "pong")
    assert [labeled.json()["status"], installation.json()["status"]] == ["ignored", "ignored"]
    assert await world.queue.jobs("github") == []


async def test_a_maintainer_comment_meets_the_first_response_target(world: World) -> None:
    await world.deliver("issues", payload("issues.opened"))
    await world.drain()
    world.fake.roles["maintainer-mo"] = "maintain"
    world.clock.advance(timedelta(hours=2))

    await world.deliver("issue_comment", comment("Thanks, fixing it now.", login="maintainer-mo"))
    await world.drain()
    ticket = await world.ticket()
    assert ticket is not None and ticket.first_response_at == world.clock.now()
    assert ticket.first_response_due is not None and ticket.first_response_at <= ticket.first_response_due
    assert ticket.status is TicketStatus.WAITING
    roles = [m.role for m in await world.store.messages(ticket.number)]
    assert roles == [Role.CUSTOMER, Role.AGENT]
    assert world.fake.issue(REPO, 1).comments == []  # the bot does not chatter on the issue
    assert world.fake.issue(REPO, 1).labels == ["documentation", "P2-medium"]  # no longer needs triage


async def test_the_authors_comment_is_a_customer_message_and_a_readers_does_not_answer(world: World) -> None:
    await world.deliver("issues", payload("issues.opened"))
    await world.drain()
    await world.deliver("issue_comment", comment("It also happens on the website.", comment_id=1))
    await world.deliver("issue_comment", comment("Same here!", login="passer-by", comment_id=2))
    await world.drain()
    ticket = await world.ticket()
    assert ticket is not None and ticket.first_response_at is None
    kept = await world.store.messages(ticket.number)
    assert [(m.author_id, m.role) for m in kept[1:]] == [("Codertocat", Role.CUSTOMER), ("passer-by", Role.CUSTOMER)]
    assert "needs-triage" in world.fake.issue(REPO, 1).labels


async def test_the_bots_own_comments_are_never_read_back(world: World) -> None:
    await world.deliver("issues", payload("issues.opened"))
    await world.drain()
    own = comment("Ticket #1 is resolved.", login="helpline-bot[bot]")
    await world.deliver("issue_comment", own)
    bot = comment("Bump", login="dependabot[bot]", comment_id=7)
    bot["comment"]["user"]["type"] = "Bot"
    await world.deliver("issue_comment", bot)
    await world.drain()
    ticket = await world.ticket()
    assert ticket is not None and len(await world.store.messages(ticket.number)) == 1


async def test_helpline_claim_from_a_non_collaborator_does_nothing_and_gets_a_short_reply(world: World) -> None:
    await world.deliver("issues", payload("issues.opened"))
    await world.drain()
    before = await world.ticket()

    await world.deliver("issue_comment", comment("/helpline claim", login="stranger"))
    await world.drain()
    assert await world.ticket() == before
    assert before is not None and before.assignee is None
    [reply] = world.fake.issue(REPO, 1).comments
    assert "triage access" in reply and "nothing was changed" in reply


async def test_helpline_commands_from_a_triager_claim_and_reprioritise_with_a_reaction(world: World) -> None:
    await world.deliver("issues", payload("issues.opened"))
    await world.drain()
    world.fake.roles["tri"] = "triage"

    await world.deliver("issue_comment", comment("/helpline claim", login="tri", comment_id=11))
    await world.deliver(
        "issue_comment", comment("/helpline priority high\nIt blocks releases", login="tri", comment_id=12)
    )
    await world.drain()
    ticket = await world.ticket()
    assert ticket is not None and (ticket.assignee, ticket.priority) == ("github:tri", "high")
    assert world.fake.reactions == [(11, "+1"), (12, "+1")]
    assert world.fake.issue(REPO, 1).comments == []
    assert "needs-triage" not in world.fake.issue(REPO, 1).labels  # removed once; the second removal is a 404
    permission_calls = [c for c in world.fake.calls if c.path.endswith("/collaborators/tri/permission")]
    assert len(permission_calls) == 1  # cached between the two commands


async def test_an_unknown_helpline_command_gets_the_usage(world: World) -> None:
    await world.deliver("issues", payload("issues.opened"))
    await world.drain()
    world.fake.roles["tri"] = "triage"
    await world.deliver("issue_comment", comment("/helpline stats", login="tri"))
    await world.drain()
    [reply] = world.fake.issue(REPO, 1).comments
    assert "/helpline claim" in reply and "/helpline resolve" in reply


async def test_closing_the_issue_resolves_the_ticket_and_reopening_reopens_it(world: World) -> None:
    await world.deliver("issues", payload("issues.opened"))
    await world.drain()
    world.clock.advance(timedelta(hours=1))

    await world.deliver("issues", closed())
    await world.drain()
    ticket = await world.ticket()
    assert ticket is not None and ticket.status is TicketStatus.RESOLVED and ticket.resolved_at == world.clock.now()
    assert world.fake.writes()[-1].path.endswith("/labels")  # no comment, no second close

    await world.deliver("issues", payload("issues.reopened"))
    await world.drain()
    ticket = await world.ticket()
    assert ticket is not None and ticket.status is TicketStatus.OPEN and ticket.resolved_at is None
    kinds = [e.kind for e in await world.store.events(ticket.number)]
    assert kinds == ["opened", "resolved", "reopened"]


async def test_a_ticket_resolved_in_helpline_closes_the_issue_with_a_comment(world: World) -> None:
    await world.deliver("issues", payload("issues.opened"))
    await world.drain()
    ticket = await world.ticket()
    assert ticket is not None

    reply = await world.moderator(f"resolve {ticket.number}")
    assert "resolved" in reply.text
    await world.drain()
    issue = world.fake.issue(REPO, 1)
    assert issue.state == "closed"
    assert [f"Ticket #{ticket.number} is resolved" in c for c in issue.comments] == [True]


async def test_helpline_resolve_in_a_comment_closes_the_issue(world: World) -> None:
    await world.deliver("issues", payload("issues.opened"))
    await world.drain()
    world.fake.roles["maint"] = "maintain"
    await world.deliver("issue_comment", comment("/helpline resolve", login="maint"))
    await world.drain()
    ticket = await world.ticket()
    assert ticket is not None and ticket.status is TicketStatus.RESOLVED
    assert world.fake.issue(REPO, 1).state == "closed"


async def test_a_support_reply_from_another_platform_is_posted_without_pinging_anyone(world: World) -> None:
    await world.deliver("issues", payload("issues.opened"))
    await world.drain()
    ticket = await world.ticket()
    assert ticket is not None

    await world.moderator(f"reply {ticket.number} Fixed in main, thanks @Codertocat and @octo-org/team")
    await world.drain()
    [posted] = world.fake.issue(REPO, 1).comments
    assert "Fixed in main" in posted
    assert "@Codertocat" not in posted and "@\u200bCodertocat" in posted and "@\u200bocto-org/team" in posted


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
        assert len(await second.store.list_tickets(active_only=False)) == 1
        job = await second.queue.get(taken.id)
        assert job is not None and (job.status, job.attempts) == (JobStatus.DONE, 2)
    finally:
        await second.close()


async def test_the_worker_runs_in_the_background_after_the_answer(world: World) -> None:
    world.runner.start()
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


async def test_a_stranger_repeating_commands_is_told_once(world: World) -> None:
    await world.deliver("issues", payload("issues.opened"))
    await world.drain()
    for number in range(3):
        await world.deliver("issue_comment", comment("/helpline resolve", login="stranger", comment_id=50 + number))
    await world.drain()
    assert len(world.fake.issue(REPO, 1).comments) == 1
    ticket = await world.ticket()
    assert ticket is not None and ticket.status.active


async def test_an_oversized_delivery_is_refused_without_being_read_whole(world: World) -> None:
    from bots.github.webhook import MAX_BODY

    response = await world.deliver("issues", b"{" + b" " * MAX_BODY + b"}")
    assert response.status_code == 413
    assert await world.queue.jobs("github") == []


async def test_issues_opened_by_bots_and_comments_on_pull_requests_are_left_alone(world: World) -> None:
    by_bot = opened(title="Dependency dashboard")
    by_bot["issue"]["user"]["type"] = "Bot"
    await world.deliver("issues", by_bot)
    await world.drain()
    assert await world.ticket() is None and world.fake.calls == []

    await world.deliver("issues", payload("issues.opened"))
    await world.drain()
    on_pull = comment("/helpline resolve", login="maint")
    on_pull["issue"]["pull_request"] = {"url": "https://api.github.com/repos/Codertocat/Hello-World/pulls/1"}
    world.fake.roles["maint"] = "maintain"
    await world.deliver("issue_comment", on_pull)
    await world.drain()
    ticket = await world.ticket()
    assert ticket is not None and ticket.status.active
    assert not [c for c in world.fake.calls if "permission" in c.path]


async def test_a_comment_on_an_issue_without_a_ticket_opens_nothing(world: World) -> None:
    await world.deliver("issue_comment", comment("Any news on this?", login="passer-by"))
    await world.deliver("issue_comment", comment("/helpline claim", login="tri", comment_id=3))
    world.fake.roles["tri"] = "triage"
    await world.drain()
    assert await world.store.list_tickets(active_only=False) == []
    [reply] = world.fake.issue(REPO, 1).comments
    assert "no Helpline ticket" in reply


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


async def test_the_bots_comments_are_recognised_even_when_posted_with_a_maintainers_token(world: World) -> None:
    await world.deliver("issues", opened(title=ANSWERED))
    await world.drain()
    [posted] = world.fake.issue(REPO, 1).comments
    world.fake.roles["alice"] = "admin"  # the token belongs to alice, so GitHub says she wrote the comment
    await world.deliver("issue_comment", comment(posted, login="alice"))
    await world.drain()
    ticket = await world.ticket()
    assert ticket is not None and ticket.first_response_at is None
    assert len(await world.store.messages(ticket.number)) == 2  # the issue and the bot's answer, nothing more


async def test_the_author_replying_on_a_resolved_issue_reopens_the_ticket_and_the_issue(world: World) -> None:
    await world.deliver("issues", payload("issues.opened"))
    await world.drain()
    ticket = await world.ticket()
    assert ticket is not None
    await world.moderator(f"resolve {ticket.number}")
    await world.drain()
    assert world.fake.issue(REPO, 1).state == "closed"

    reply = comment("Still misspelled on the website", comment_id=77)
    reply["issue"]["state"] = "closed"
    await world.deliver("issue_comment", reply)
    await world.drain()
    reopened = await world.ticket()
    assert reopened is not None and reopened.number == ticket.number and reopened.status is TicketStatus.OPEN
    assert world.fake.issue(REPO, 1).state == "open"

    by_other = comment("me too", login="passer-by", comment_id=78)
    by_other["issue"]["state"] = "closed"
    await world.moderator(f"resolve {ticket.number}")
    await world.drain()
    await world.deliver("issue_comment", by_other)
    await world.drain()
    again = await world.ticket()
    assert again is not None and again.status is TicketStatus.RESOLVED  # only the author reopens
    assert world.fake.issue(REPO, 1).state == "closed"
