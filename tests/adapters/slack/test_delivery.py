"""Behaving well on Slack: signatures, duplicates, escaping, the three-second ack, pacing and rate limits."""

from __future__ import annotations

import itertools
import json
import time
from datetime import timedelta

import pytest

from core.jobs import JobStatus
from tests.adapters.slack_fake import BOT_USER, payload, signature_headers
from tests.adapters.slack_world import (
    STAFF,
    STAFF_GROUP,
    GatedUnderstander,
    World,
    connect_message,
    make_world,
    outage,
    shown,
    slash,
)

pytestmark = pytest.mark.asyncio


async def test_the_same_event_three_times_gives_one_ticket_and_one_reply(world: World) -> None:
    envelope = connect_message("the dashboard is down for everyone")
    responses = [await world.event(envelope), await world.event(envelope, retry=1), await world.event(envelope, 2)]
    assert [r.status_code for r in responses] == [200, 200, 200]
    assert len(world.slack.posts()) == 1
    assert len(await world.store.tickets.list_tickets()) == 1
    # Stored durably under its event_id, so a restarted bot on the same database skips it too.
    [job] = await world.queue.jobs("slack")
    assert (job.key, job.status) == ("event:Ev07CONNECT01", JobStatus.DONE)


def _flip_last(signature: str) -> str:
    # Always a different digit: replacing it with a fixed "0" left one signature in sixteen unchanged.
    return signature[:-1] + ("1" if signature.endswith("0") else "0")


async def test_unsigned_tampered_and_stale_requests_get_401_and_change_nothing(world: World) -> None:
    body = json.dumps(connect_message("the dashboard is down for everyone")).encode()
    signed = signature_headers(body)
    tampered = body.replace(b"dashboard", b"dashbeard")
    attempts = [
        (body, {}),  # unsigned
        (tampered, signed),
        (body, signature_headers(body, at=time.time() - 6 * 60)),  # older than five minutes
        (body, signature_headers(body, secret="not-the-secret")),
        (body, {**signed, "X-Slack-Signature": _flip_last(signed["X-Slack-Signature"])}),
    ]
    for sent, headers in attempts:
        response = await world.post(sent, "application/json", headers)
        assert response.status_code == 401
    assert world.slack.posts() == []
    assert await world.store.tickets.list_tickets(active_only=False) == []
    assert await world.queue.jobs("slack") == []  # never stored


async def test_a_channel_mention_in_a_message_is_echoed_harmlessly(world: World) -> None:
    await outage(world, "<!channel> <!here> <@U0CEO> our API is down &amp; <https://evil.example|click>")
    world.clock.advance(timedelta(hours=3))
    await world.worker.run_once()
    await world.command(slash(STAFF, "ticket 1", world))
    everything = [shown(m) for m in world.slack.posts()] + [shown(r) for r in world.slack.responses()]
    assert any("&lt;!channel&gt;" in text for text in everything)  # the subject is shown, literally
    for text in everything:
        assert "<!channel>" not in text and "<!here>" not in text and "<@U0CEO>" not in text
        assert "<https://evil.example|click>" not in text
        assert text.count("<!") == text.count(f"<!subteam^{STAFF_GROUP}>")


async def test_a_429_is_waited_out_for_its_retry_after_and_the_message_still_goes_out(world: World) -> None:
    world.slack.rate_limit("chat.postMessage", 1)
    envelope = payload("event_app_mention")
    envelope["event"]["text"] = f"<@{BOT_USER}> my app keeps dying with exit code 137"
    await world.event(envelope)
    first, second = world.slack.method_calls("chat.postMessage")
    assert second.at - first.at >= 1.0  # Retry-After: 1
    assert first.args == second.args
    [answer] = world.slack.posts()[1:]
    assert answer["thread_ts"] == envelope["event"]["ts"]


async def test_slack_gets_its_ack_before_the_slow_work_runs() -> None:
    understander = GatedUnderstander()
    w = await make_world(understander)
    try:
        body = json.dumps(connect_message("the API is down")).encode()
        response = await w.http.post(
            "/slack/events", content=body, headers={"Content-Type": "application/json", **signature_headers(body)}
        )
        assert response.status_code == 200  # answered while the model is still "thinking"
        assert w.slack.posts() == []
        understander.gate.set()
        await w.settle()
        assert "Ticket #1" in w.slack.posts()[0]["text"]
    finally:
        understander.gate.set()
        await w.close()


async def test_messages_to_one_channel_are_paced() -> None:
    w = await make_world(pace_seconds=0.3)
    try:
        for number in range(3):
            envelope = payload("event_app_mention")
            envelope["event"] |= {"text": f"<@{BOT_USER}> exit code 137", "ts": f"1732350120.00030{number}"}
            envelope["event_id"] = f"Ev07PACED{number}"
            await w.event(envelope)
        times = [c.at for c in w.slack.method_calls("chat.postMessage")]
        assert len(times) == 3
        assert all(later - earlier >= 0.29 for earlier, later in itertools.pairwise(times))
    finally:
        await w.close()


async def test_malformed_bodies_are_refused_without_a_crash(world: World) -> None:
    garbage = [
        (b"not json", "application/json", {}),  # unsigned
        (b"\xff\xfe binary", "application/json", {"X-Slack-Request-Timestamp": "soon", "X-Slack-Signature": "v0=1"}),
    ]
    for body, content_type, headers in garbage:
        assert (await world.post(body, content_type, headers)).status_code == 401
    signed_garbage = b"not json"
    assert (await world.post(signed_garbage, "application/json", signature_headers(signed_garbage))).status_code == 400
    binary = b"\xff\xfe"  # not UTF-8, so no signature over it can be checked
    assert (await world.post(binary, "application/json", signature_headers(binary))).status_code == 401
    odd = [
        {"type": "event_callback", "event": {"type": "message"}},
        {"type": "event_callback", "event_id": "Ev1", "event": {"type": "message", "text": ["x"], "user": "U1"}},
    ]
    for envelope in odd:
        assert (await world.event(envelope)).status_code in (200, 404)
    assert world.slack.posts() == [] and await world.store.tickets.list_tickets(active_only=False) == []
