"""Video calls on Discord: ``/call`` answers privately with three slot buttons; pressing one books the call,
with the Jitsi link and the iCalendar invite uploaded as a file."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from tests.adapters.discord_fake import ANA, ENTERPRISE_ROLE, STAFF
from tests.adapters.discord_world import World, buttons, make_world

pytestmark = pytest.mark.asyncio


@pytest_asyncio.fixture
async def world() -> AsyncIterator[World]:
    w = await make_world()
    yield w
    await w.discord.close()


async def test_an_enterprise_member_books_a_call_with_buttons_and_gets_the_invite(world: World) -> None:
    await world.discord.slash("call", None, {}, user=ANA, roles=(ENTERPRISE_ROLE,))
    [offer] = world.discord.api.followups()
    assert offer["content"].startswith("Pick a time for a video call")
    slots = buttons(offer)
    assert len(slots) == 3 and all(custom.startswith("helpline:book_call:0:") for _, custom in slots)
    assert slots[0][0].startswith("Mon 23 Nov 11:00")
    await world.discord.press(slots[0][1], channel=STAFF, user=ANA, roles=(ENTERPRISE_ROLE,))
    said = [*world.discord.api.followups(), *world.discord.api.sent()]
    booked = next(body for body in said if "is booked" in body.get("content", ""))
    assert "https://meet.jit.si/Helpline-" in booked["content"]
    uploads = [f for c in world.discord.api.calls for f in c.files]
    [ics] = [f for f in uploads if f.filename == "invite.ics"]
    assert b"BEGIN:VEVENT" in ics.data and b"meet.jit.si/Helpline-" in ics.data
    [call] = await world.store.calls.of_person(f"discord:{ANA}")
    assert call.tier == "enterprise"


async def test_a_community_member_is_told_calls_are_not_in_their_plan(world: World) -> None:
    await world.discord.slash("call", None, {}, user=ANA)
    [answer] = world.discord.api.followups()
    assert "does not include video calls" in answer["content"] and buttons(answer) == []
