"""``/link`` on Discord: a member's code comes in an ephemeral answer; ``/link CODE`` joins the identities."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from core.customers.codes import CODE_LIFETIME, code_hash
from core.customers.records import LinkCode
from tests.adapters.discord_fake import ANA, MODERATOR_ROLE
from tests.adapters.discord_world import World, make_world

pytestmark = pytest.mark.asyncio

_CODE = re.compile(r"\b([A-Z0-9]{5}-[A-Z0-9]{5})\b")
EPHEMERAL = 64  # Discord's message flag


@pytest_asyncio.fixture
async def world() -> AsyncIterator[World]:
    w = await make_world()
    yield w
    await w.discord.close()


async def test_a_member_gets_a_code_privately_and_nothing_in_a_channel(world: World) -> None:
    await world.discord.slash("link", None, {}, user=ANA, roles=())
    [answer] = world.discord.api.followups()
    assert answer["flags"] == EPHEMERAL
    found = _CODE.search(answer["content"])
    assert found is not None, answer["content"]
    assert not [body for body in world.discord.api.sent() if found.group(1) in str(body)]
    used = await world.store.links.redeem_code(code_hash(found.group(1)), world.clock.now())
    assert used is not None and used.identity == f"discord:{ANA}"


async def test_a_code_from_slack_entered_here_links_and_a_moderator_can_undo_it(world: World) -> None:
    now = world.clock.now()
    await world.store.links.issue_code(LinkCode(code_hash("ABCDE-FGHJK"), "slack:U0ANA", now, now + CODE_LIFETIME))
    await world.discord.slash("link", None, {"code": "abcde fghjk"}, user=ANA, roles=())
    [answer] = world.discord.api.followups()
    assert answer["flags"] == EPHEMERAL and "slack:U0ANA and this account are one person" in answer["content"]
    person = await world.store.links.person_of(f"discord:{ANA}")
    assert person is not None and person.identities == (f"discord:{ANA}", "slack:U0ANA")
    await world.discord.slash("customer", "unlink", {"first": "slack:U0ANA"}, roles=(MODERATOR_ROLE,))
    assert (await world.store.links.person_of("slack:U0ANA")).identities == ("slack:U0ANA",)  # type: ignore[union-attr]
