"""``helpline serve`` with Slack credentials: the real process answers signed Slack requests on /slack/events."""

from __future__ import annotations

import asyncio
import json
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.adapters.slack_fake import BOT_TOKEN, SIGNING_SECRET, FakeSlack, payload, signature_headers
from tests.e2e.test_serve import HELPLINE, Served, clean_env, free_port

ANSWER_TIMEOUT = 60.0


class FakeSlackThread:
    """The fake Slack on its own event loop in a thread, for a test that drives a real process."""

    def __init__(self) -> None:
        self.slack = FakeSlack()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    def __enter__(self) -> FakeSlack:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self.slack.start(), self._loop).result(10)
        return self.slack

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self.slack.close(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()


@pytest.fixture
def slack_served(tmp_path: Path) -> Iterator[tuple[Served, FakeSlack]]:
    """``helpline serve`` in HTTP mode, its Slack client pointed at a fake Slack."""
    with FakeSlackThread() as slack:
        port, log = free_port(), tmp_path / "serve.log"
        env = clean_env(
            tmp_path,
            SLACK_BOT_TOKEN=BOT_TOKEN,
            SLACK_SIGNING_SECRET=SIGNING_SECRET,
            SLACK_API_URL=slack.api_url,
            HELPLINE_SLACK__SUPPORT_CHANNELS="C0HELPDESK",
        )
        with log.open("wb") as err:
            process = subprocess.Popen(
                [str(HELPLINE), "serve", "--port", str(port)],
                env=env,
                cwd=tmp_path,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=err,
            )
        try:
            yield Served(process, port, log), slack
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()


def _signed_post(url: str, body: bytes, headers: dict[str, str] | None = None) -> httpx.Response:
    sent = {"Content-Type": "application/json", **(signature_headers(body) if headers is None else headers)}
    return httpx.post(url, content=body, headers=sent, timeout=10.0)


@pytest.mark.model
def test_serve_answers_a_signed_slack_question_in_its_thread_and_refuses_unsigned_requests(
    slack_served: tuple[Served, FakeSlack],
) -> None:
    served, slack = slack_served
    health: dict[str, Any] = served.wait_for_health().json()
    assert health["adapters"]["slack"] == {"on": True, "reason": "credentials found"}
    url = f"http://127.0.0.1:{served.port}/slack/events"

    challenge = json.dumps({"type": "url_verification", "token": "x", "challenge": "c-123"}).encode()
    assert _signed_post(url, challenge, headers={}).status_code == 401
    verified = _signed_post(url, challenge)
    assert verified.status_code == 200 and verified.json() == {"challenge": "c-123"}
    # Signed, but not a shape Slack sends: 400 (never a 5xx, which Slack would retry), logged without a traceback.
    for malformed in (b"[]", b"[" * 100_000 + b"]" * 100_000, b'{"type": "event_callback", "event": "x"}'):
        assert _signed_post(url, malformed).status_code == 400

    question = payload("event_message")
    question["event"]["text"] = "how can I point my own domain at my app?"
    started = time.monotonic()
    assert _signed_post(url, json.dumps(question).encode()).status_code == 200
    assert time.monotonic() - started < 3.0  # acknowledged before the model runs
    deadline = time.monotonic() + ANSWER_TIMEOUT
    while not slack.posts() and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(0.5)  # a ticket may come with a second post ("Meanwhile, this may help")
    posts = slack.posts()
    assert posts and all(p["channel"] == "C0HELPDESK" for p in posts)
    assert all(p["thread_ts"] == question["event"]["ts"] for p in posts)
    assert any("Custom domains" in p["blocks"][0]["text"]["text"] for p in posts), posts

    assert served.stop() == 0
    log = served.stderr()
    assert "Slack bot: HTTP mode, events at /slack/events" in log
    assert "Traceback" not in log
