"""Socket Mode: the real bolt Socket Mode handler on a websocket served by the fake Slack."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from tests.adapters.slack_fake import payload
from tests.adapters.slack_world import World, make_world

pytestmark = pytest.mark.asyncio


@pytest.fixture
def world_options() -> dict[str, Any]:
    """The bot in Socket Mode."""
    return {"socket_mode": True}


def envelope(event: dict[str, Any], envelope_id: str, retry_attempt: int) -> dict[str, Any]:
    """How Socket Mode carries an Events API delivery; retries reuse the event, not the envelope."""
    return {
        "envelope_id": envelope_id,
        "type": "events_api",
        "accepts_response_payload": False,
        "retry_attempt": retry_attempt,
        "retry_reason": "timeout" if retry_attempt else "",
        "payload": event,
    }


async def acknowledged(world: World, count: int) -> None:
    async with asyncio.timeout(10):
        while len(world.slack.socket_acks) < count:
            await asyncio.sleep(0.01)
    await world.settle()


async def test_socket_mode_connects_with_the_app_token_and_serves_no_http_route(world: World) -> None:
    await world.slack.connected()
    opened = world.slack.method_calls("apps.connections.open")
    assert opened and all(call.path == "/api/apps.connections.open" for call in opened)
    assert world.runner.routes() == []
    response = await world.http.post("/slack/events", content=b"{}")
    assert response.status_code == 404


async def test_the_same_event_three_times_over_socket_mode_gives_one_ticket_and_one_reply(world: World) -> None:
    event = payload("event_connect_message")
    event["event"]["text"] = "Our whole API is down"
    # Socket Mode has no retry headers; a redelivery may even come with retry_attempt 0 again.
    for number, attempt in enumerate((0, 1, 0)):
        await world.slack.push(envelope(event, f"env-{number}", attempt))
    await acknowledged(world, 3)
    assert [ack["envelope_id"] for ack in world.slack.socket_acks] == ["env-0", "env-1", "env-2"]
    [ack] = world.slack.posts()
    assert "Ticket #1, critical" in ack["text"]
    assert len(await world.store.tickets.list_tickets()) == 1


async def test_a_refused_app_token_is_logged_and_the_rest_keeps_running(caplog: pytest.LogCaptureFixture) -> None:
    w = await make_world(socket_mode=True, app_token="xapp-wrong")
    try:
        async with asyncio.timeout(10):
            while not any("Slack refused SLACK_APP_TOKEN (invalid_auth)" in r.message for r in caplog.records):
                await asyncio.sleep(0.01)
        assert (await w.http.get("/healthz")).status_code in (200, 503)  # the server still answers
        await asyncio.sleep(0.2)
        assert len(w.slack.method_calls("apps.connections.open")) == 1  # not retried for ever
    finally:
        await w.close()
