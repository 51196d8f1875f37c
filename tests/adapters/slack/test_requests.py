"""Feature requests on Slack: ``/helpline feature`` with its Block Kit buttons, a second person's own words
offered as a vote button, and a status change reaching every voter once in the channel where they voted."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from tests.adapters.slack_fake import payload
from tests.adapters.slack_world import ANA, STAFF, World, buttons, make_world, shown, slash
from tests.fakes import HashingEmbedder

pytestmark = pytest.mark.asyncio
BEA = "U0BEA"


@pytest_asyncio.fixture
async def world() -> AsyncIterator[World]:
    w = await make_world(embedder=HashingEmbedder())
    try:
        yield w
    finally:
        await w.close()


def _click(world: World, user: str, value: str, on: dict[str, Any], n: int) -> dict[str, Any]:
    """``user`` presses the button ``value`` under the ephemeral answer ``on`` in the staff channel."""
    press = payload("block_actions")
    press["user"] |= {"id": user, "username": user.lower(), "name": user.lower()}
    press["response_url"] = f"{world.slack.url}/hooks/actions/T0VENDOR/{n}"
    press["container"] = {"type": "message", "message_ts": f"17323500{n:02d}.000100", "channel_id": "C0STAFF"}
    press["channel"]["id"] = "C0STAFF"
    press["message"] |= {"ts": f"17323500{n:02d}.000100", "blocks": on["blocks"], "text": on["text"]}
    press["message"].pop("thread_ts", None)
    press["actions"][0].update(action_id=f"helpline:{value}", value=value, text={"type": "plain_text", "text": value})
    press["actions"][0]["action_ts"] = f"17323501{n:02d}.000100"
    return press


async def test_two_people_asking_in_their_own_words_end_with_one_request_and_two_votes(world: World) -> None:
    await world.command(slash(ANA, "feature Dark mode for the dashboard", world, trigger="1.ana"))
    offer = world.slack.responses()[-1]
    assert "Record this as a feature request?" in shown(offer)
    assert buttons(offer) == ["helpline:file_request:1", "helpline:open_ticket"]  # and the way out
    await world.interaction(_click(world, ANA, "file_request:1", offer, 1))
    await world.settle()
    [recorded] = world.slack.posts("C0STAFF")  # said where it was asked, not privately
    assert "Recorded as feature request #1" in shown(recorded)

    await world.command(slash(BEA, "feature please add a dark mode to the dashboard", world, trigger="2.bea"))
    suggestion = world.slack.responses()[-1]
    assert "This sounds like feature request #1" in shown(suggestion)
    assert buttons(suggestion)[0] == "helpline:vote:1"
    await world.interaction(_click(world, BEA, "vote:1", suggestion, 2))
    await world.settle()
    counted = world.slack.responses()[-1]
    assert "Your vote for #1" in shown(counted) and "2 votes" in shown(counted)
    assert buttons(counted) == ["helpline:unvote:1"]

    assert len(await world.store.feature_requests.requests()) == 1
    assert len((await world.store.feature_requests.votes([1]))[1]) == 2

    await world.command(slash(STAFF, "request status 1 completed Shipped today", world, trigger="3.mo"))
    assert "2 people will be told" in shown(world.slack.responses()[-1])
    before = len(world.slack.posts("C0STAFF"))
    await world.worker.run_once()
    await world.worker.run_once()
    await world.settle()
    told = world.slack.posts("C0STAFF")[before:]
    # Ana asked with the command (the channel), Bea voted by a button (its message's thread): each told there, once.
    assert sorted(str(m.get("thread_ts")) for m in told) == ["1732350002.000100", "None"]
    for notice in told:
        assert "#1 'Dark mode for the dashboard' is done (was open). Note from the team: Shipped today" in shown(notice)
