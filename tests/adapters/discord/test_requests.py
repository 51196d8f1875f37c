"""Feature requests on Discord: /feature with its confirmation button, a second person's own words offered as a
vote button, and a status change reaching every voter once."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from tests.adapters.discord_fake import ANA, EPHEMERAL, MODERATOR_ROLE, STAFF
from tests.adapters.discord_world import World, buttons, make_world
from tests.fakes import HashingEmbedder

pytestmark = pytest.mark.asyncio
BEA = 900000000000000302


@pytest_asyncio.fixture
async def world() -> AsyncIterator[World]:
    w = await make_world(embedder=HashingEmbedder())
    yield w
    await w.discord.close()


async def test_two_people_asking_in_their_own_words_end_with_one_request_and_two_votes(world: World) -> None:
    discord = world.discord
    await discord.slash("feature", None, {"text": "Dark mode for the dashboard"}, user=ANA)
    offer = discord.api.followups()[-1]
    assert offer["content"].startswith("Record this as a feature request?")
    assert buttons(offer) == [
        ("Record it as a new request", "helpline:file_request:1"),
        ("No, open a ticket instead", "helpline:open_ticket"),  # the way out when the offer misread it
    ]
    await discord.press("helpline:file_request:1", channel=STAFF, user=ANA)
    assert "Recorded as feature request #1" in discord.api.followups()[-1]["content"]

    await discord.slash("feature", None, {"text": "please add a dark mode to the dashboard"}, user=BEA)
    suggestion = discord.api.followups()[-1]
    assert "This sounds like feature request #1 'Dark mode for the dashboard'" in suggestion["content"]
    assert buttons(suggestion)[0] == ("Vote for #1 'Dark mode for the dashboard'", "helpline:vote:1")
    settled = len(discord.api.edits())  # "Record it" was settled: its button is gone
    await discord.press("helpline:vote:1", channel=STAFF, user=BEA)
    counted = discord.api.followups()[-1]
    assert "Your vote for #1" in counted["content"] and "2 votes" in counted["content"]
    assert discord.api.deferrals()[-1]["data"]["flags"] & EPHEMERAL  # a vote is answered privately
    assert buttons(counted) == [("Withdraw my vote", "helpline:unvote:1")]
    assert len(discord.api.edits()) == settled  # vote buttons stay for the next person

    requests = await world.store.feature_requests.requests()
    assert len(requests) == 1
    assert len((await world.store.feature_requests.votes([1]))[1]) == 2

    await discord.slash("request", "status", {"number": 1, "status": "started", "note": ""}, roles=(MODERATOR_ROLE,))
    assert "2 people will be told" in discord.api.followups()[-1]["content"]
    before = len(discord.api.sent(STAFF))
    await world.worker.run_once()
    await world.worker.run_once()  # a second pass sends nothing again
    told = discord.api.sent(STAFF)[before:]
    assert [m["content"] for m in told] == [
        "Feature request #1 'Dark mode for the dashboard' is being built (was open)."
    ]
