"""The spam guard at the desk's door: spam is not answered and opens no ticket, the platform is told what to do,
the moderators hear once per incident with the evidence, and every action is audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from pydantic import ValidationError

from config.community_config import CommunitySettings, FloodConfig, MentionConfig, SpamSettings
from config.settings import Settings
from core.messages import ReplyKind
from tests.desk_fakes import Harness, make_harness

pytestmark = pytest.mark.asyncio


def harness(**spam: object) -> Harness:
    chosen = SpamSettings.model_validate({"notify_channel": "discord:900", **spam})
    return make_harness(settings=Settings(community=CommunitySettings(spam=chosen)))


async def test_a_flood_is_not_answered_opens_no_ticket_and_is_reported_once() -> None:
    h = harness()
    for n in range(5):
        assert (await h.say(f"the service is down {n}", thread=f"t{n}"))[0].kind is not ReplyKind.GUARD
    tickets = len(await h.store.tickets.list_tickets())
    for n in range(5, 8):
        [order] = await h.say(f"the service is down {n}", thread=f"t{n}")
        assert order.kind is ReplyKind.GUARD and order.text == ""
        assert order.enforcement is not None and order.enforcement.delete
        assert order.enforcement.timeout == timedelta(minutes=10)
    assert len(await h.store.tickets.list_tickets()) == tickets
    sent = await h.wait(timedelta(seconds=1))
    [notice] = [o for o in sent if "Spam guard" in o.reply.text]
    assert str(notice.address) == "discord:900" and "flood rule" in notice.reply.text
    assert "the service is down 5" in notice.reply.text and "timed out for 10 min" in notice.reply.text
    assert [a.rule for a in await h.store.guard.actions()] == ["flood"] * 3


async def test_a_rule_set_to_hide_only_says_nothing_and_asks_the_platform_for_nothing() -> None:
    h = harness(mass_mention={"actions": ["hide"]})
    crowd = " ".join(f"<@{n}>" for n in range(8))
    assert await h.say(f"{crowd} come see") == []
    [action] = await h.store.guard.actions()
    assert action.acts == ("hide",) and not action.notified and "mentions 8 people" in action.evidence
    assert not [o for o in await h.wait(timedelta(seconds=1)) if "Spam guard" in o.reply.text]


async def test_moderators_and_other_platforms_are_never_judged() -> None:
    h = harness()
    for n in range(8):
        replies = await h.say(f"maintenance tonight {n}", user="mo", roles=frozenset({"moderator"}), thread=f"m{n}")
        assert all(r.kind is not ReplyKind.GUARD for r in replies)
        replies = await h.say(f"the service is down {n}", platform="slack", thread=f"s{n}")
        assert all(r.kind is not ReplyKind.GUARD for r in replies)
    assert await h.store.guard.actions() == []


async def test_the_guard_turned_off_judges_nothing() -> None:
    h = harness(enabled=False)
    for n in range(8):
        await h.say(f"the service is down {n}", thread=f"t{n}")
    assert await h.store.guard.actions() == []


@pytest.mark.parametrize(
    ("spam", "key"),
    [
        ({"flood": {"window": "soon"}}, "community.spam.flood.window"),
        ({"flood": {"actions": ["ban"]}}, "community.spam.flood.actions.0"),
        ({"mass_mention": {"users": 0}}, "community.spam.mass_mention.users"),
        ({"allowed_domains": ["https://x.example/"]}, "community.spam.allowed_domains"),
        ({"notify_channel": "not an address"}, "community.spam.notify_channel"),
        ({"invite": {"timeout": "forever"}}, "community.spam.invite.timeout"),
        ({"flood": {"timeout": "30d"}}, "community.spam.flood.timeout"),
        ({"cross_post": {"chanels": 3}}, "community.spam.cross_post.chanels"),
    ],
)
async def test_a_bad_setting_is_refused_naming_its_key(spam: dict[str, object], key: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Settings.model_validate({"community": {"spam": spam}})
    assert key in str(caught.value)


async def test_the_settings_reach_the_policy() -> None:
    spam = SpamSettings(flood=FloodConfig(messages=10, window="45s"), mass_mention=MentionConfig(users=3))
    policy = spam.policy()
    assert policy.flood_messages == 10 and policy.flood_window == timedelta(seconds=45) and policy.mention_users == 3
