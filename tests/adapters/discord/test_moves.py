"""``/ticket assign`` and ``/ticket tier`` on Discord: a member picker, the assignee pinged, the new promise."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from tests.adapters.discord_fake import ANA, MODERATOR_ROLE, STAFF
from tests.adapters.discord_rest import Picked
from tests.adapters.discord_world import World, make_world
from tests.desk_fakes import START

pytestmark = pytest.mark.asyncio

LEE = 900000000000000402


@pytest_asyncio.fixture
async def world() -> AsyncIterator[World]:
    w = await make_world()
    yield w
    await w.discord.close()


async def test_assign_by_slash_command_gives_the_ticket_to_the_picked_member_and_pings_them(world: World) -> None:
    await world.discord.message("the site is down")
    await world.discord.slash("ticket", "assign", {"number": 1, "person": Picked(LEE, "lee")}, roles=(MODERATOR_ROLE,))
    [answer] = world.discord.api.followups()
    assert answer["content"] == f"Ticket #1 is assigned to {LEE}; they were told." and answer["flags"] == 64
    ticket = await world.store.tickets.get(1)
    assert ticket is not None and ticket.assignee == f"discord:{LEE}"
    [told] = [m for m in world.discord.api.sent(STAFF) if "now assigned" in m["content"]]
    assert told["content"].startswith(f"<@{LEE}> Ticket #1 (critical, the site is down) is now assigned to {LEE}")
    assert told["allowed_mentions"]["users"] == [LEE]  # the assignee, and nobody else, is pinged


async def test_tier_by_slash_command_replans_and_states_the_promise_and_members_are_refused(world: World) -> None:
    await world.discord.message("the site is down")
    await world.discord.slash("ticket", "tier", {"number": 1, "tier": "white-glove"}, user=ANA, roles=())
    await world.discord.slash("ticket", "tier", {"number": 1, "tier": "white-glove"}, roles=(MODERATOR_ROLE,))
    refused, moved = world.discord.api.followups()
    assert "Only moderators" in refused["content"]
    assert moved["content"].startswith("Ticket #1 is now White-glove (was Community)")
    assert "White-glove promises a first response within 1 hour at critical" in moved["content"]
    ticket = await world.store.tickets.get(1)
    assert ticket is not None and ticket.tier == "white-glove" and ticket.first_response_due is not None
    assert ticket.first_response_due == START.replace(hour=10)
