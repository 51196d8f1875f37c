"""``/helpline login`` on Slack: the sign-in link is answered to the asker alone, never posted in a channel."""

from __future__ import annotations

import re

import pytest

from core.staff.tokens import token_hash
from tests.adapters.slack_world import ANA, STAFF, World, shown, slash

pytestmark = pytest.mark.asyncio

_LINK = re.compile(r"http://127\.0\.0\.1:8080/dashboard/login/([A-Za-z0-9_-]{43})")


async def test_staff_get_the_link_ephemerally_and_it_signs_in_once_as_them(world: World) -> None:
    await world.command(slash(STAFF, "login", world, trigger="1.login"))
    [answer] = world.slack.responses()
    assert answer["response_type"] == "ephemeral" and answer["replace_original"] is False
    found = _LINK.search(shown(answer))
    assert found is not None, shown(answer)
    assert f"<{found.group(0)}>" in shown(answer)  # a working link, not text Slack might format
    assert world.slack.posts() == []  # nothing in any channel
    used = await world.store.staff.redeem_link(token_hash(found.group(1)), world.clock.now())
    assert used is not None and (used.identity.platform, used.identity.user_id) == ("slack", STAFF)
    assert await world.store.staff.redeem_link(token_hash(found.group(1)), world.clock.now()) is None


async def test_a_customer_asking_for_a_link_is_refused_privately(world: World) -> None:
    await world.command(slash(ANA, "login", world, trigger="2.login"))
    [answer] = world.slack.responses()
    assert answer["response_type"] == "ephemeral" and "Only moderators" in answer["text"]
    assert _LINK.search(shown(answer)) is None and world.slack.posts() == []
