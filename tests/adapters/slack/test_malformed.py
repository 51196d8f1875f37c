"""Whatever arrives at /slack/events, Helpline never answers 5xx (which Slack retries) and changes nothing.

Signed bodies of shapes Slack never sends get a 400 and one log line without a traceback; a
signature that cannot even be compared is a 401; a flood is refused while it is being read.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bots.slack.envelope import MAX_BODY
from tests.adapters.fuzzing import SMALL, json_values
from tests.adapters.slack_fake import payload, signature_headers
from tests.adapters.slack_world import STAFF, World, make_world, outage, slash

pytestmark = pytest.mark.asyncio

JSON, FORM = "application/json", "application/x-www-form-urlencoded"
DEEP = b"[" * 100_000 + b"]" * 100_000


def _event(**changes: object) -> bytes:
    envelope = payload("event_app_mention")
    envelope["event"] |= changes
    return json.dumps(envelope).encode()


def _press(**changes: object) -> bytes:
    return urlencode({"payload": json.dumps(payload("block_actions") | changes)}).encode()


MALFORMED = {
    "an array": (b"[]", JSON),
    "null": (b"null", JSON),
    "a string": (b'"x"', JSON),
    "a number": (b"123", JSON),
    "an event that is a string": (json.dumps({**payload("event_app_mention"), "event": "x"}).encode(), JSON),
    "an event that is null": (json.dumps({**payload("event_app_mention"), "event": None}).encode(), JSON),
    "a user that is a number": (_event(user=5), JSON),
    "a lone surrogate in the text": (_event(text="help").replace(b'"help"', b'"help \\ud800"'), JSON),
    "a form payload that is an array": (urlencode({"payload": "[1,2,3]"}).encode(), FORM),
    "a button press by a number": (_press(user=5), FORM),
    "a button press without actions": (_press(actions=[]), FORM),
    "a button press whose action has no action_id": (_press(actions=[{}]), FORM),
    "100,000 nested brackets": (DEEP, JSON),
    "100,000 nested brackets in a form": (urlencode({"payload": DEEP.decode()}).encode(), FORM),
}


@pytest.mark.parametrize("name", MALFORMED)
async def test_a_signed_malformed_body_gets_400_one_line_in_the_log_and_changes_nothing(
    world: World, name: str, caplog: pytest.LogCaptureFixture
) -> None:
    body, content_type = MALFORMED[name]
    with caplog.at_level(logging.WARNING):
        response = await world.post(body, content_type, signature_headers(body))
    assert response.status_code == 400
    assert "could not be read" in response.text
    [record] = [r for r in caplog.records if r.name.startswith("helpline.slack")]
    assert record.exc_info is None and "refused a signed Slack request" in record.getMessage()
    assert not [r for r in caplog.records if r.exc_info]  # bolt logged no traceback either
    assert world.slack.posts() == [] and await world.queue.jobs("slack") == []
    assert await world.store.tickets.list_tickets(active_only=False) == []


async def test_slack_well_formed_requests_still_get_what_slack_expects(world: World) -> None:
    challenge = json.dumps({"token": "t", "challenge": "c-123", "type": "url_verification"}).encode()
    answered = await world.post(challenge, JSON, signature_headers(challenge))
    assert (answered.status_code, answered.json()) == (200, {"challenge": "c-123"})
    ssl_check = b"ssl_check=1&token=t"
    assert (await world.post(ssl_check, FORM, signature_headers(ssl_check))).status_code == 200


async def test_a_slash_command_saying_payload_is_still_a_command(world: World) -> None:
    # bolt takes any form holding the word "payload" for a button press, and this one for an empty request.
    await outage(world)
    response = await world.command(slash(STAFF, "reply 1 The payload limit is raised, retry now", world))
    assert response.status_code == 200
    notice = world.slack.posts("C0ACMESHARED")[-1]
    assert notice["text"] == "Mo (support) on ticket #1: The payload limit is raised, retry now"
    [sent] = world.slack.responses()
    assert "Sent to the customer on ticket #1" in sent["text"]


async def test_a_signature_with_a_non_ascii_character_is_refused_with_401(world: World) -> None:
    body = _event()
    signed = signature_headers(body)
    headers = {
        b"Content-Type": JSON.encode(),
        b"X-Slack-Request-Timestamp": signed["X-Slack-Request-Timestamp"].encode(),
        b"X-Slack-Signature": "v0=é".encode(),
    }
    response = await world.http.post("/slack/events", content=body, headers=headers)
    assert response.status_code == 401
    assert await world.queue.jobs("slack") == []


class Flood:
    """A request body of ``total`` bytes, sent in chunks, that counts how much of it the server read."""

    def __init__(self, total: int, chunk: int = 64 * 1024) -> None:
        self.total, self.chunk, self.sent = total, chunk, 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while self.sent < self.total:
            self.sent += self.chunk
            yield b" " * self.chunk


async def test_an_oversized_unsigned_post_is_refused_before_it_is_read_whole(world: World) -> None:
    flood = Flood(100 * 1024 * 1024)  # 100 MB, with no Content-Length: streamed
    response = await world.http.post("/slack/events", content=flood, headers={"Content-Type": JSON})
    assert response.status_code == 413
    assert flood.sent <= MAX_BODY + flood.chunk  # read up to the ceiling, not to the end
    announced = await world.http.post(
        "/slack/events", content=b"{}", headers={"Content-Type": JSON, "Content-Length": str(100 * 1024 * 1024)}
    )
    assert announced.status_code == 413


# Keys bolt and Helpline read, and the types of request Slack sends, for bodies near the real ones.
KEYS = [
    *("type", "event", "user", "team", "channel", "enterprise", "authorizations", "actions", "container"),
    *("view", "message", "previous_message", "item", "event_id", "team_id", "user_id", "channel_id"),
    *("enterprise_id", "is_ext_shared_channel", "context_team_id", "subtype", "bot_id", "ts", "thread_ts"),
    *("text", "callback_id", "action_id", "block_id", "value", "response_url", "trigger_id", "function"),
    *("function_data", "assistant_thread", "workflow_step", "command", "challenge", "id", "user_team"),
]
TYPES = [
    *("event_callback", "block_actions", "url_verification", "view_submission", "shortcut", "message_action"),
    *("block_suggestion", "view_closed", "interactive_message", "dialog_submission", "message", "app_mention"),
]
near_slack = st.recursive(
    json_values,
    lambda inner: st.dictionaries(st.sampled_from(KEYS), inner, max_size=5),
    max_leaves=20,
)
requests = st.tuples(
    st.sampled_from(TYPES), st.dictionaries(st.sampled_from(KEYS), near_slack, max_size=6), st.booleans()
)


async def test_no_signed_body_of_any_shape_gets_a_5xx() -> None:
    world = await make_world()
    results: list[tuple[int, Any]] = []

    @SMALL
    @given(requests)
    def post(request: tuple[str, dict[str, Any], bool]) -> None:
        kind, data, as_form = request
        data = {"type": kind, **data} if "type" not in data else data
        body = urlencode({"payload": json.dumps(data)}).encode() if as_form else json.dumps(data).encode()
        response = asyncio.run_coroutine_threadsafe(
            world.post(body, FORM if as_form else JSON, signature_headers(body)), loop
        ).result(30)
        results.append((response.status_code, data))

    loop = asyncio.get_running_loop()
    try:
        await loop.run_in_executor(None, post)
    finally:
        await world.close()
    assert [r for r in results if r[0] >= 500] == []
    assert {status for status, _ in results} >= {400}
