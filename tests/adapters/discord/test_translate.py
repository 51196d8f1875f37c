"""Translation between discord.py objects (parsed from gateway payloads) and the core's messages and replies."""

from __future__ import annotations

import re
from typing import Any

import discord
import pytest

from bots.discord.translate import (
    CUSTOM_ID_TEMPLATE,
    author_of,
    custom_id,
    incoming,
    is_answerable,
    place,
    render,
    target_channel,
)
from core.messages import DISCORD, Action, Address, Choice, Citation, FileRef, Mention, Reply, ReplyKind
from tests.adapters.discord_fake import ANA, BOT, ENTERPRISE_ROLE, FORUM, GENERAL, GUILD, HELP, ON_CALL_ROLE, payload

SUPPORT = frozenset({HELP, FORUM})


@pytest.fixture
def state() -> Any:
    """A discord.py connection state that knows the test server, as after READY; no network."""
    client = discord.Client(intents=discord.Intents.default())
    state = client._connection
    state.user = discord.ClientUser(state=state, data=payload("guild_create")["members"][0]["user"])
    state._add_guild_from_data(payload("guild_create"))  # type: ignore[arg-type]
    return state


def _message(
    state: Any, content: str, *, channel: int = HELP, roles: tuple[int, ...] = (), **changes: Any
) -> discord.Message:
    data: Any = payload("message_create")
    data.update(content=content, channel_id=str(channel), **changes)
    data["member"]["roles"] = [str(role) for role in roles]
    where: Any = state._get_guild(GUILD).get_channel_or_thread(channel)
    return discord.Message(state=state, channel=where, data=data)


def _thread(state: Any, thread_id: int, parent: int, owner: int) -> None:
    data = payload("thread_create")
    data.update(id=str(thread_id), parent_id=str(parent), owner_id=str(owner))
    state.parsers["THREAD_CREATE"](data)


def test_a_member_becomes_an_author_with_role_names_and_ids(state: Any) -> None:
    message = _message(state, "hi", roles=(ENTERPRISE_ROLE,))
    author = author_of(message.author)
    assert (author.id, author.name) == (str(ANA), "Ana")
    assert author.roles == {"Enterprise", str(ENTERPRISE_ROLE)}  # @everyone is not a role worth naming


def test_a_question_in_a_support_channel_starts_a_thread_with_the_questions_id(state: Any) -> None:
    message = _message(state, "my app keeps dying")
    placement = place(message, BOT, SUPPORT)
    assert placement is not None and placement.new_thread
    assert placement.address == Address(DISCORD, str(GUILD), str(HELP), str(message.id))


def test_other_channels_are_ignored_unless_the_bot_is_mentioned(state: Any) -> None:
    assert place(_message(state, "lunch?", channel=GENERAL), BOT, SUPPORT) is None
    mention = _message(
        state, f"<@{BOT}> help", channel=GENERAL, mentions=[payload("guild_create")["members"][0]["user"]]
    )
    placement = place(mention, BOT, SUPPORT)
    assert placement is not None and placement.new_thread


def test_threads_in_support_channels_forums_and_the_bots_own_threads_are_answered_in_place(state: Any) -> None:
    _thread(state, 970, HELP, ANA)
    _thread(state, 971, FORUM, ANA)
    _thread(state, 972, GENERAL, BOT)
    _thread(state, 973, GENERAL, ANA)
    for thread, parent in ((970, HELP), (971, FORUM), (972, GENERAL)):
        placement = place(_message(state, "more detail", channel=thread), BOT, SUPPORT)
        assert placement is not None and not placement.new_thread
        assert placement.address == Address(DISCORD, str(GUILD), str(parent), str(thread))
    assert place(_message(state, "chat", channel=973), BOT, SUPPORT) is None


def test_a_direct_message_is_its_own_conversation(state: Any) -> None:
    data: Any = payload("message_create_dm")
    message = discord.Message(state=state, channel=discord.DMChannel._from_message(state, 700), data=data)
    placement = place(message, BOT, SUPPORT)
    assert placement is not None and not placement.new_thread
    assert placement.address == Address(DISCORD, channel="700")


def test_bots_webhooks_and_system_messages_are_not_answered(state: Any) -> None:
    assert is_answerable(_message(state, "question"), BOT)
    bot_author = {**payload("message_create")["author"], "bot": True}
    assert not is_answerable(_message(state, "beep", author=bot_author), BOT)
    assert not is_answerable(_message(state, "hook", webhook_id="980"), BOT)
    assert not is_answerable(_message(state, "", type=18), BOT)  # "started a thread"


def test_incoming_text_loses_the_bot_mention_and_keeps_the_rest(state: Any) -> None:
    message = _message(state, f"<@!{BOT}>  my **app** <@{BOT}> crashed")
    placement = place(message, BOT, SUPPORT)
    assert placement is not None
    core = incoming(message, placement, BOT)
    assert core.text == "my **app**   crashed"
    assert core.message_id == str(message.id) and core.received_at == message.created_at
    assert core.files == ()


def test_attachments_alone_are_a_message_with_their_names_links_types_and_sizes(state: Any) -> None:
    data: Any = payload("message_create_attachments")
    message = discord.Message(state=state, channel=state._get_guild(GUILD).get_channel(HELP), data=data)
    assert is_answerable(message, BOT)
    placement = place(message, BOT, SUPPORT)
    assert placement is not None
    core = incoming(message, placement, BOT)
    assert core.text == ""
    shot, log = data["attachments"]
    assert core.files == (
        FileRef("boot-crash.png", shot["url"], "image/png", 48213),
        FileRef("app.log", log["url"], "text/plain; charset=utf-8", 10342),
    )
    del data["attachments"][1]["content_type"]  # Discord leaves it out when it cannot tell
    unknown = discord.Message(state=state, channel=state._get_guild(GUILD).get_channel(HELP), data=data)
    assert incoming(unknown, placement, BOT).files[1].media_type == ""


def test_an_answer_is_an_embed_linked_to_its_article_with_the_choices() -> None:
    choices = (Choice("Helpful", Action.HELPFUL), Choice("Not helpful", Action.NOT_HELPFUL))
    reply = Reply(ReplyKind.ANSWER, "Why it happens\nOut of memory.", Citation("OOM", "https://d.example/oom"), choices)
    [out] = render(reply)
    assert out.content is None and out.choices == choices
    assert out.embed is not None
    assert (out.embed.title, out.embed.url) == ("OOM", "https://d.example/oom")
    assert out.embed.description == "**Why it happens**\nOut of memory."


def test_an_article_without_a_web_address_names_its_file_instead() -> None:
    [out] = render(Reply(ReplyKind.ANSWER, "Heading", Citation("Local", "docs/local.md")))
    assert out.embed is not None and out.embed.url is None
    assert out.embed.footer.text == "Source: docs/local.md"


def test_long_text_is_split_and_the_buttons_go_under_the_last_piece() -> None:
    text = "\n\n".join(f"Paragraph {n}: " + "words " * 60 for n in range(20))
    outs = render(Reply(ReplyKind.INFO, text, choices=(Choice("Open a ticket", Action.OPEN_TICKET),)))
    assert len(outs) > 1 and all(out.content and len(out.content) <= 2000 for out in outs)
    assert [bool(out.choices) for out in outs] == [False] * (len(outs) - 1) + [True]


def test_an_escalation_pings_the_on_call_role_and_links_the_conversation() -> None:
    origin = Address(DISCORD, str(GUILD), str(HELP), "975")
    reply = Reply(ReplyKind.ESCALATION, "Escalation: ticket #4", ticket=4, origin=origin)
    [out] = render(reply, ping_role=ON_CALL_ROLE)
    assert out.ping_role == ON_CALL_ROLE
    assert (
        out.content
        == f"<@&{ON_CALL_ROLE}> Escalation: ticket #4\nConversation: https://discord.com/channels/{GUILD}/975"
    )
    [elsewhere] = render(Reply(ReplyKind.ESCALATION, "Escalation", origin=Address("slack", "T1", "C1", "1.2")))
    assert elsewhere.ping_role is None and elsewhere.content == "Escalation\nConversation: slack:T1/C1/1.2"


def test_only_escalations_may_ping() -> None:
    [out] = render(Reply(ReplyKind.INFO, "@everyone look"), ping_role=ON_CALL_ROLE)
    assert out.ping_role is None
    assert out.content is not None and "@everyone" not in out.content


def test_an_sla_notice_pings_exactly_the_discord_role_and_users_it_names() -> None:
    from bots.discord.app import mentions_for

    mentions = (Mention("discord", "group", "42"), Mention("discord", "user", "77"), Mention("slack", "user", "U1"))
    reply = Reply(ReplyKind.WARNING, "SLA warning: ticket #4", ticket=4, mentions=mentions)
    [out] = render(reply, ping_role=ON_CALL_ROLE)
    assert (out.ping_role, out.ping_users) == (42, (77,))  # the notice's own role wins over the on-call setting
    assert out.content == "<@&42> <@77> SLA warning: ticket #4"
    allowed = dict(mentions_for(out.ping_role, out.ping_users).to_dict())
    assert allowed == {"parse": [], "roles": [42], "users": [77]}
    [plain] = render(Reply(ReplyKind.WARNING, "SLA warning", mentions=(Mention("slack", "user", "U1"),)))
    assert (plain.ping_role, plain.ping_users, plain.content) == (None, (), "SLA warning")
    [info] = render(Reply(ReplyKind.INFO, "hello", mentions=mentions))  # only notices may ping
    assert (info.ping_role, info.ping_users, info.content) == (None, (), "hello")


def test_core_messages_go_to_their_thread_or_the_staff_channel() -> None:
    assert target_channel(Address(DISCORD, "1", "2", "3"), None) == 3
    assert target_channel(Address.parse("discord:456"), None) == 456
    assert target_channel(Address(DISCORD), 789) == 789
    with pytest.raises(ValueError, match="staff_channel"):
        target_channel(Address(DISCORD), None)
    with pytest.raises(ValueError, match="does not name a Discord channel"):
        target_channel(Address.parse("discord:staff-room"), None)


def test_every_choice_has_a_custom_id_the_persistent_button_recognises() -> None:
    pattern = re.compile(CUSTOM_ID_TEMPLATE)
    for action in Action:
        for ticket in (None, 2**31 - 1):
            value = custom_id(Choice("x", action, ticket))
            match = pattern.fullmatch(value)
            assert match is not None and Choice.parse_value(match["value"]) == (action, ticket)
    assert pattern.fullmatch("helpline:claim:1; drop table") is None
