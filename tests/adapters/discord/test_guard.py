"""The spam guard on Discord, against the fake Discord: a flood from a new member is stopped and reported once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
import pytest_asyncio

from config.community_config import CommunitySettings, SpamSettings
from config.settings import Settings
from core.messages import DISCORD, Address
from tests.adapters.discord_fake import GUILD, HELP, MO, MODERATOR_ROLE, STAFF, payload
from tests.adapters.discord_world import World, make_world
from tests.desk_fakes import START

pytestmark = pytest.mark.asyncio
NEWCOMER = 900000000000000777
SPAM_SETTINGS = Settings(community=CommunitySettings(spam=SpamSettings(notify_channel="discord")))  # staff channel


@pytest_asyncio.fixture
async def world() -> AsyncIterator[World]:
    w = await make_world(settings=SPAM_SETTINGS)
    yield w
    await w.discord.close()


async def post(
    world: World,
    text: str,
    message_id: int,
    *,
    author: int = NEWCOMER,
    joined: datetime,
    roles: tuple[int, ...] = (),
    channel: int = HELP,
) -> int:
    """``author`` (a member since ``joined``) writes ``text``; returns once the bot has handled it."""
    data = payload("message_create")
    data.update(id=str(message_id), channel_id=str(channel), content=text)
    data["author"]["id"] = str(author)
    data["member"].update(joined_at=joined.isoformat(), roles=[str(role) for role in roles])
    world.discord.event("MESSAGE_CREATE", data)
    await world.discord.settle()
    return message_id


def guard_notices(world: World) -> list[dict[str, object]]:
    return [m for m in world.discord.api.sent(STAFF) if "Spam guard" in str(m.get("content", ""))]


async def test_a_flood_from_a_new_member_is_stopped_and_reported_once(world: World) -> None:
    joined = START - timedelta(hours=1)
    ids = [await post(world, f"is anyone there? {n}", 970000000000000001 + n, joined=joined) for n in range(9)]
    answered, flood = ids[:5], ids[5:]
    api = world.discord.api
    assert all(i in api.threads for i in answered)  # the first five are questions like any other
    assert not any(i in api.threads or api.sent(i) for i in flood)  # the rest: no thread, no reply ...
    assert api.deleted() == flood  # ... deleted
    timeouts = api.member_edits(NEWCOMER)
    assert timeouts and all(edit["communication_disabled_until"] for edit in timeouts)  # ... and muted
    until = datetime.fromisoformat(str(timeouts[0]["communication_disabled_until"]))  # discord.py's own clock
    assert timedelta(minutes=9) < until - datetime.now(UTC) <= timedelta(minutes=10)
    for spam in flood:  # no ticket either
        assert await world.store.tickets.latest_ticket_for(Address(DISCORD, str(GUILD), str(HELP), str(spam))) is None
    await world.worker.run_once()
    await world.worker.run_once()  # a second pass sends nothing more
    [notice] = guard_notices(world)
    assert f"discord:{NEWCOMER}" in str(notice["content"]) and "flood rule" in str(notice["content"])
    assert "6 messages within 15s" in str(notice["content"]) and "is anyone there? 5" in str(notice["content"])
    assert notice["allowed_mentions"] == {"parse": []}
    actions = await world.store.guard.actions()
    assert [a.message_id for a in reversed(actions)] == [str(i) for i in flood]
    assert [a.notified for a in actions].count(True) == 1 and len({a.incident for a in actions}) == 1


async def test_a_later_burst_is_a_new_incident_with_its_own_notice(world: World) -> None:
    joined = START - timedelta(hours=1)
    for n in range(6):
        await post(world, f"hello {n}", 971000000000000001 + n, joined=joined)
    world.clock.advance(timedelta(hours=2))
    for n in range(6):
        await post(world, f"hello again {n}", 972000000000000001 + n, joined=joined)
    await world.worker.run_once()
    assert len(guard_notices(world)) == 2


async def test_moderators_are_never_judged(world: World) -> None:
    for n in range(8):
        await post(
            world,
            f"announcement {n} @everyone",
            973000000000000001 + n,
            author=MO,
            joined=START,
            roles=(MODERATOR_ROLE,),
        )
    assert world.discord.api.deleted() == [] and world.discord.api.member_edits(MO) == []
    assert await world.store.guard.actions() == []


async def test_an_invite_from_a_new_member_is_deleted_without_a_timeout(world: World) -> None:
    spam = await post(
        world, "free nitro, join discord.gg/freestuff", 974000000000000001, joined=START - timedelta(minutes=5)
    )
    assert world.discord.api.deleted() == [spam] and world.discord.api.member_edits(NEWCOMER) == []
    assert spam not in world.discord.api.threads


async def test_a_long_standing_member_with_links_is_answered(world: World) -> None:
    text = "the install fails, logs at https://gist.github.com/ana/123 and https://pastebin.com/xyz"
    question = await post(world, text, 975000000000000001, joined=START - timedelta(days=300))
    assert question in world.discord.api.threads and world.discord.api.deleted() == []
