"""``POST /github/webhook``: only signed, readable deliveries are stored, each once; the rest changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bots.github.translate import sign
from tests.adapters.github_world import SECRET, World, make_world, opened, payload

pytestmark = pytest.mark.asyncio

ANSWERED = "App exits with code 137 right after deploy"


async def test_the_same_delivery_posted_twice_changes_nothing_the_second_time(world: World) -> None:
    first = await world.deliver("issues", opened(title=ANSWERED), delivery="d-1")
    await world.drain()
    calls, ticket = list(world.fake.calls), await world.ticket()

    again = await world.deliver("issues", opened(title=ANSWERED), delivery="d-1")
    assert (first.status_code, again.status_code, again.json()["status"]) == (202, 200, "duplicate")
    assert await world.drain() == 0
    assert world.fake.calls == calls
    assert await world.ticket() == ticket
    assert len(await world.store.tickets.list_tickets(active_only=False)) == 1


async def test_forged_unsigned_and_replayed_deliveries_are_refused_and_create_nothing(world: World) -> None:
    body = payload("issues.opened")
    forged = await world.deliver("issues", body, sign_with="not the secret")
    unsigned = await world.deliver("issues", body, signature="")
    genuine_signature = _signature_of(opened(title="the genuine one"))
    replayed = await world.deliver("issues", opened(title="something else"), signature=genuine_signature)
    sha1 = await world.deliver("issues", body, signature="sha1=0123")
    assert [r.status_code for r in (forged, unsigned, replayed, sha1)] == [401, 401, 401, 401]
    assert await world.drain() == 0
    assert await world.queue.jobs("github") == []
    assert await world.store.tickets.list_tickets(active_only=False) == []
    assert world.fake.calls == []


def _signature_of(data: dict[str, object]) -> str:
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
    labeled = await world.deliver("issues", {**payload("issues.labeled"), "action": "assigned"})
    installation = await world.deliver("installation", payload("installation.created"))
    assert (ping.status_code, ping.json()["status"]) == (200, "pong")
    assert [labeled.json()["status"], installation.json()["status"]] == ["ignored", "ignored"]
    assert await world.queue.jobs("github") == []


async def test_an_oversized_delivery_is_refused_without_being_read_whole(world: World) -> None:
    from bots.github.webhook import MAX_BODY

    response = await world.deliver("issues", b"{" + b" " * MAX_BODY + b"}")
    assert response.status_code == 413
    assert await world.queue.jobs("github") == []
