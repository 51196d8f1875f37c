"""Discord's translators on any message text, mentions and channel, and on any reply: a result, never a crash.

discord.py parses the gateway's JSON itself, so what varies here is what a user controls (the text,
whom they mention, where they write) and what the core may say.
"""

from __future__ import annotations

import re
from typing import Any

import discord
from hypothesis import given, settings
from hypothesis import strategies as st

from bots.discord.text import MESSAGE_LIMIT
from bots.discord.translate import Placement, incoming, is_answerable, place, render, target_channel
from core.messages import DISCORD, Action, Address, Choice, Citation, Mention, Reply, ReplyKind
from tests.adapters.discord_fake import ANA, BOT, FORUM, GENERAL, GUILD, HELP, payload
from tests.adapters.fuzzing import SMALL, texts, unicode_texts

SUPPORT = frozenset({HELP, FORUM})
ids = st.one_of(st.sampled_from([BOT, ANA, GUILD, HELP]), st.integers(min_value=1, max_value=2**63 - 1))


def _state() -> Any:
    client = discord.Client(intents=discord.Intents.default())
    state = client._connection
    state.user = discord.ClientUser(state=state, data=payload("guild_create")["members"][0]["user"])
    state._add_guild_from_data(payload("guild_create"))  # type: ignore[arg-type]
    return state


STATE = _state()


@st.composite
def messages(draw: st.DrawFn) -> discord.Message:
    """A message create event with what its writer controls drawn at random."""
    data: Any = payload("message_create")
    channel = draw(st.sampled_from([HELP, FORUM, GENERAL]))
    mentioned = draw(st.lists(ids, max_size=3))
    data.update(
        content=draw(st.one_of(texts, st.sampled_from([f"<@{BOT}> help", f"<@!{BOT}>", "@everyone <@&1>"]))),
        channel_id=str(channel),
        mentions=[{**data["author"], "id": str(user)} for user in mentioned],
        type=draw(st.sampled_from([0, 19, 7, 18])),
    )
    data["author"]["bot"] = draw(st.booleans())
    if draw(st.booleans()):
        data["webhook_id"] = str(draw(ids))
    where: Any = STATE._get_guild(GUILD).get_channel_or_thread(channel)
    return discord.Message(state=STATE, channel=where, data=data)


@SMALL
@given(messages())
def test_any_message_is_placed_or_ignored_and_reads_without_the_bot_s_mention(message: discord.Message) -> None:
    answerable = is_answerable(message, BOT)
    placement = place(message, BOT, SUPPORT)
    assert placement is None or isinstance(placement, Placement)
    if answerable and placement is not None:
        text = incoming(message, placement, BOT).text
        assert isinstance(text, str) and not re.search(rf"<@!?{BOT}>", text)


mentions = st.builds(
    Mention,
    st.sampled_from([DISCORD, "slack"]),
    st.sampled_from(["user", "group"]),
    st.one_of(unicode_texts, ids.map(str)),
)
addresses = st.builds(Address, st.sampled_from([DISCORD, "slack"]), unicode_texts, unicode_texts, unicode_texts)
# Where a notice's conversation is, as adapters build it: ids, never text a user typed.
origins = st.builds(Address, st.sampled_from([DISCORD, "slack", "github"]), *[ids.map(str) | st.just("")] * 3)
replies = st.builds(
    Reply,
    st.sampled_from(ReplyKind),
    st.one_of(unicode_texts, st.text(min_size=1900, max_size=4100)),
    citation=st.none() | st.builds(Citation, unicode_texts, unicode_texts),
    choices=st.lists(st.builds(Choice, st.sampled_from(Action), st.none() | st.integers(0, 10**9)), max_size=3).map(
        tuple
    ),
    origin=st.none() | origins,
    mentions=st.lists(mentions, max_size=3).map(tuple),
)


@settings(SMALL, max_examples=60)
@given(replies, st.none() | ids)
def test_any_reply_renders_to_messages_discord_accepts(reply: Reply, ping_role: int | None) -> None:
    sent = render(reply, ping_role=ping_role)
    assert sent and all(piece.choices == () for piece in sent[:-1])
    assert sent[-1].choices == reply.choices
    for piece in sent:
        assert piece.content is not None or piece.embed is not None
        assert piece.content is None or 0 < len(piece.content) <= MESSAGE_LIMIT
        if piece.content is not None:
            assert not re.search(r"@(everyone|here)", piece.content)  # user text never pings everyone


@SMALL
@given(addresses, st.none() | ids)
def test_any_address_names_a_channel_or_says_why_not(address: Address, staff: int | None) -> None:
    try:
        channel = target_channel(address, staff)
    except ValueError as exc:
        assert "discord" in str(exc)
    else:
        assert channel >= 0
