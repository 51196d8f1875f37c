"""The per-member ticket limit, driven through the whole desk on in-memory fakes."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from config.settings import load_settings
from core.desk.context import DeskPolicy
from core.errors import ConfigError
from core.messages import Action, Address, ReplyKind
from tests.desk_fakes import Harness, make_harness

REFUSED_3 = (
    "You have opened 3 tickets in the last 10 minutes, so I haven't opened another one yet. "
    "To add to one of them (#1, #2 or #3), write in that ticket's thread. "
    "Or try again here in 7 minutes; your message is kept."
)


def thread(name: str) -> Address:
    """The address ``Harness.say`` uses for a thread."""
    return Address("discord", "guild1", "help", name)


async def open_three(h: Harness, *, user: str = "ana") -> None:
    """``user`` opens tickets in threads t1, t2 and t3, a minute apart."""
    for n in (1, 2, 3):
        [reply] = await h.say("the service is down again", user=user, thread=f"t{n}")
        assert reply.kind is ReplyKind.TICKET
        h.clock.advance(timedelta(minutes=1))


@pytest.mark.asyncio
async def test_a_fourth_ticket_within_the_window_is_refused_and_the_message_kept() -> None:
    h = make_harness()
    await open_three(h)
    [reply] = await h.say("now the API is down too", thread="t4")
    assert reply.kind is ReplyKind.INFO and reply.ticket is None
    assert reply.text == REFUSED_3
    assert [c.action for c in reply.choices] == [Action.OPEN_TICKET]
    assert len(await h.store.tickets.list_tickets()) == 3
    kept = await h.store.conversations.conversation(thread("t4"))
    assert [m.text for m in kept] == ["now the API is down too", REFUSED_3]


@pytest.mark.asyncio
async def test_after_the_window_the_kept_message_goes_on_a_new_ticket() -> None:
    h = make_harness()
    await open_three(h)
    [refused] = await h.say("now the API is down too", thread="t4")
    assert "try again here in 7 minutes" in refused.text
    h.clock.advance(timedelta(minutes=7) - timedelta(seconds=1))
    [still] = await h.say("", thread="t4", choice="open_ticket")
    assert still.kind is ReplyKind.INFO and "try again here in 1 minute;" in still.text
    h.clock.advance(timedelta(seconds=1))
    [opened] = await h.say("", thread="t4", choice="open_ticket")
    assert opened.kind is ReplyKind.TICKET and opened.ticket == 4
    assert (await h.store.conversations.messages(4))[0].text == "now the API is down too"


@pytest.mark.asyncio
async def test_only_the_members_active_tickets_are_offered() -> None:
    h = make_harness()
    await open_three(h)
    assert "resolved" in (await h.mod("resolve 2")).text
    [reply] = await h.say("everything is down", thread="t4")
    assert "To add to one of them (#1 or #3), write in that ticket's thread." in reply.text


@pytest.mark.asyncio
async def test_the_wording_for_one_ticket_and_for_none_still_open() -> None:
    h = make_harness()
    h.desk.desk.policy = replace(h.desk.desk.policy, ticket_limit=1, ticket_window=timedelta(hours=1))
    await h.say("the service is down", thread="t1")
    [one] = await h.say("the service is down", thread="t2")
    assert one.text == (
        "You have opened 1 ticket in the last hour, so I haven't opened another one yet. "
        "To add to ticket #1, write in its thread. Or try again here in 1 hour; your message is kept."
    )
    await h.mod("resolve 1")
    [none] = await h.say("the service is down", thread="t3")
    assert none.text.endswith("another one yet. Please try again here in 1 hour; your message is kept.")


@pytest.mark.asyncio
async def test_the_limit_is_per_member_and_moderators_are_exempt() -> None:
    h = make_harness()
    await open_three(h)
    [other] = await h.say("the service is down", user="bo", thread="b1")
    assert other.kind is ReplyKind.TICKET
    mod = frozenset({"moderator"})
    for n in range(5):
        [reply] = await h.say("the service is down", user="mo", thread=f"m{n}", roles=mod)
        assert reply.kind is ReplyKind.TICKET
    assert len(await h.store.tickets.list_tickets()) == 9


@pytest.mark.asyncio
async def test_a_limit_of_zero_means_no_limit() -> None:
    h = make_harness()
    h.desk.desk.policy = replace(h.desk.desk.policy, ticket_limit=0)
    for n in range(6):
        h.clock.advance(timedelta(seconds=10))  # six at one instant would be a flood (community.spam.flood)
        [reply] = await h.say("the service is down", thread=f"t{n}")
        assert reply.kind is ReplyKind.TICKET
    assert len(await h.store.tickets.list_tickets()) == 6


@pytest.mark.asyncio
@pytest.mark.parametrize("choice", ["not_helpful", "human"])
async def test_not_helpful_and_talk_to_a_human_are_refused_too(choice: str) -> None:
    h = make_harness()
    await open_three(h)
    [answer] = await h.say("my app exits with 137", thread="t4")
    assert answer.kind is ReplyKind.ANSWER
    [reply] = await h.say("", thread="t4", choice=choice)
    said = "Marked not helpful. " + REFUSED_3 if choice == "not_helpful" else REFUSED_3  # the vote is kept all the same
    assert reply.kind is ReplyKind.INFO and reply.text == said
    assert len(await h.store.tickets.list_tickets()) == 3
    assert (await h.store.conversations.conversation(thread("t4")))[0].text == "my app exits with 137"


@pytest.mark.asyncio
async def test_a_ticket_problem_the_docs_cover_still_gets_the_docs_when_refused() -> None:
    h = make_harness()
    await open_three(h)
    replies = await h.say("the app crashes at boot", thread="t4")
    assert [r.kind for r in replies] == [ReplyKind.INFO, ReplyKind.ANSWER]
    assert replies[0].text == REFUSED_3 and replies[1].citation is not None


def test_settings_default_to_the_desk_policy_and_name_a_bad_window(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    defaults = load_settings(env={}).support
    assert (defaults.ticket_limit, defaults.ticket_window_duration()) == (
        DeskPolicy().ticket_limit,
        DeskPolicy().ticket_window,
    )
    bad = tmp_path / "bad.yaml"
    bad.write_text("support:\n  ticket_window: soon\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"bad\.yaml: support\.ticket_window: 'soon' is not a duration"):
        load_settings(bad, env={})
    with pytest.raises(ConfigError, match=r"environment: support\.ticket_limit"):
        load_settings(env={"HELPLINE_SUPPORT__TICKET_LIMIT": "-1"})
