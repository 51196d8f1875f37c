"""Whatever arrives at /slack/events, Helpline never answers 5xx (which Slack retries) and changes nothing.

Signed bodies of shapes Slack never sends get a 400 and one log line without a traceback; a
signature that cannot even be compared is a 401; a flood is refused while it is being read.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from urllib.parse import urlencode

import pytest

from bots.slack.envelope import MAX_BODY
from tests.adapters.slack_fake import payload, signature_headers
from tests.adapters.slack_world import World

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
