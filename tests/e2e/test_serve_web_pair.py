"""Two ``helpline serve --role web`` processes on one PostgreSQL receive the same Slack event and the same GitHub
delivery (as a load balancer retrying on the other process would hand them over): one ticket and one reply each.

Both processes load the real model; the Slack and GitHub clients inside them point at local fake APIs.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from bots.github.translate import sign
from core.store.engine import create_engine_for
from core.store.schema import tickets
from tests.adapters.github_fake import FakeGitHub
from tests.adapters.slack_fake import BOT_TOKEN, SIGNING_SECRET, FakeSlack, payload, signature_headers
from tests.e2e.test_serve import Served, clean_env
from tests.e2e.test_serve_roles import processes, start

__all__ = ["processes"]  # the fixture, used by name below

GITHUB_PAYLOAD = Path(__file__).resolve().parents[1] / "adapters" / "payloads" / "github" / "issues.opened.payload.json"
GITHUB_SECRET = "pair-secret"
REPO = "Codertocat/Hello-World"
SETTLE_TIMEOUT = 90.0


class Fakes:
    """The fake Slack and fake GitHub on one event loop in a thread, for processes the test starts."""

    def __init__(self) -> None:
        self.slack, self.github = FakeSlack(), FakeGitHub()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    def __enter__(self) -> Fakes:
        self._thread.start()
        self.call(self.slack.start())
        self.call(self.github.start())
        return self

    def call(self, work: Any) -> Any:
        """Run a coroutine on the fakes' loop and return its result."""
        return asyncio.run_coroutine_threadsafe(work, self._loop).result(10)

    def __exit__(self, *exc: object) -> None:
        self.call(self.slack.close())
        self.call(self.github.stop())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()


@pytest.fixture
def fakes() -> Iterator[Fakes]:
    """Both fake platform APIs, running."""
    with Fakes() as running:
        yield running


def both_at_once(posts: list[Callable[[], httpx.Response]]) -> list[httpx.Response]:
    """Send the requests concurrently, as two processes behind a load balancer receive them."""
    with ThreadPoolExecutor(len(posts)) as pool:
        return list(pool.map(lambda post: post(), posts))


def settle(ready: Callable[[], bool]) -> None:
    """Wait until ``ready()``, then a little longer so a duplicate would have time to show."""
    deadline = time.monotonic() + SETTLE_TIMEOUT
    while not ready():
        assert time.monotonic() < deadline, "nothing arrived"
        time.sleep(0.2)
    time.sleep(3.0)


async def tickets_by_platform(url: str) -> dict[str, list[int]]:
    """Ticket numbers per platform."""
    engine = create_engine_for(url)
    try:
        async with engine.connect() as conn:
            found = await conn.execute(select(tickets.c.id, tickets.c.platform).order_by(tickets.c.id))
            by: dict[str, list[int]] = {}
            for row in found:
                by.setdefault(row.platform, []).append(row.id)
            return by
    finally:
        await engine.dispose()


@pytest.mark.model
@pytest.mark.asyncio
async def test_two_web_processes_given_the_same_event_and_delivery_open_one_ticket_and_reply_once(
    tmp_path: Path, postgres_url: str, fakes: Fakes, processes: list[Served]
) -> None:
    env = clean_env(
        tmp_path,
        HELPLINE_SUPPORT__DATABASE_URL=postgres_url,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=fakes.slack.api_url,
        HELPLINE_SLACK__SUPPORT_CHANNELS="C0HELPDESK",
        GITHUB_WEBHOOK_SECRET=GITHUB_SECRET,
        GITHUB_TOKEN="ghp_test",
        GITHUB_API_URL=fakes.github.url,
    )
    first = start(tmp_path, "web1", ["--role", "web"], env)
    processes.append(first)
    first.wait_for_health()  # the first builds the knowledge index; the second then loads it
    second = start(tmp_path, "web2", ["--role", "web"], env)
    processes.append(second)
    second.wait_for_health()
    webs = [first, second]

    question = payload("event_message")
    question["event"]["text"] = "I need to talk to an actual human about my deployment, please open a ticket"
    slack_body = json.dumps(question).encode()
    slack_headers = {"Content-Type": "application/json", **signature_headers(slack_body)}
    issue = json.loads(GITHUB_PAYLOAD.read_text("utf-8"))
    issue["issue"]["title"], issue["issue"]["body"] = "App restarts with exit code 137", "What does 137 mean?"
    github_body = json.dumps(issue).encode()
    github_headers = {
        "X-GitHub-Event": "issues",
        "X-GitHub-Delivery": "pair-1",
        "X-Hub-Signature-256": sign(GITHUB_SECRET, github_body),
    }

    def to(web: Served, path: str, body: bytes, headers: dict[str, str]) -> Callable[[], httpx.Response]:
        url = f"http://127.0.0.1:{web.port}{path}"
        return lambda: httpx.post(url, content=body, headers=headers, timeout=30.0)

    slack_answers = both_at_once([to(w, "/slack/events", slack_body, slack_headers) for w in webs])
    github_answers = both_at_once([to(w, "/github/webhook", github_body, github_headers) for w in webs])
    assert [r.status_code for r in slack_answers] == [200, 200]  # Slack must not be made to retry
    assert all(r.status_code in (200, 202) for r in github_answers)
    assert [r.json().get("status") for r in github_answers].count("duplicate") == 1  # one queued it, one saw it

    settle(lambda: bool(fakes.slack.posts()) and bool(fakes.github.issue(REPO, 1).comments))
    by_platform = await tickets_by_platform(postgres_url)
    assert {platform: len(numbers) for platform, numbers in by_platform.items()} == {"slack": 1, "github": 1}

    posts = fakes.slack.posts()
    texts = [json.dumps([p.get("text"), p.get("blocks")]) for p in posts]  # what a reader sees
    assert len(texts) == len(set(texts)), texts  # nothing posted twice
    assert all(p["thread_ts"] == question["event"]["ts"] for p in posts)
    assert len([t for t in texts if f"Ticket #{by_platform['slack'][0]}," in t]) == 1, texts
    [comment] = fakes.github.issue(REPO, 1).comments  # one reply on the issue, not one per process
    assert f"ticket #{by_platform['github'][0]}" in comment

    for web in webs:
        assert web.stop() == 0
        assert "Traceback" not in web.stderr()
