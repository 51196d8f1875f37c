"""``/helpline login`` on Discord: the sign-in link comes in an ephemeral answer, never in a channel."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from core.staff.tokens import token_hash
from tests.adapters.discord_fake import ANA, MO, MODERATOR_ROLE
from tests.adapters.discord_world import World, make_world

pytestmark = pytest.mark.asyncio

_LINK = re.compile(r"http://127\.0\.0\.1:8080/dashboard/login/([A-Za-z0-9_-]{43})")
EPHEMERAL = 64  # Discord's message flag


@pytest_asyncio.fixture
async def world() -> AsyncIterator[World]:
    w = await make_world()
    yield w
    await w.discord.close()


async def test_a_moderator_gets_the_link_privately_and_it_signs_in_once_as_them(world: World) -> None:
    await world.discord.slash("helpline", "login", {}, roles=(MODERATOR_ROLE,))
    [answer] = world.discord.api.followups()
    assert answer["flags"] == EPHEMERAL
    assert all(d["data"]["flags"] == EPHEMERAL for d in world.discord.api.deferrals())
    found = _LINK.search(answer["content"])
    assert found is not None, answer["content"]
    assert not [body for body in world.discord.api.sent() if "/dashboard/login/" in str(body)]
    used = await world.store.staff.redeem_link(token_hash(found.group(1)), world.clock.now())
    assert used is not None and (used.identity.platform, used.identity.user_id) == ("discord", str(MO))
    assert await world.store.staff.redeem_link(token_hash(found.group(1)), world.clock.now()) is None


async def test_a_member_without_the_moderator_role_is_refused_privately(world: World) -> None:
    await world.discord.slash("helpline", "login", {}, user=ANA, roles=())
    [answer] = world.discord.api.followups()
    assert answer["flags"] == EPHEMERAL and "Only moderators" in answer["content"]
    assert _LINK.search(answer["content"]) is None


async def test_login_is_published_as_helpline_login(world: World) -> None:
    [sync] = [c for c in world.discord.api.calls if c.method == "PUT"]
    helpline = next(c for c in sync.body if c["name"] == "helpline")
    assert [o["name"] for o in helpline["options"]] == ["login", "stop", "forget", "away", "back", "agents", "agent"]
    assert helpline["default_member_permissions"] == 1 << 13
