"""Pure translation between discord.py objects and the core's messages and replies.

Nothing here talks to Discord: these functions read discord.py objects (built from gateway
payloads) and build the text, embeds and custom ids the bot sends.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import discord

from bots.discord.text import MESSAGE_LIMIT, escape_user_text, split_message
from core.messages import DISCORD, Address, Author, Choice, Destination, FileRef, IncomingMessage, Reply, ReplyKind

# Button custom ids: "helpline:" and a choice value such as "helpful", "claim:12" or "rate:7:5". Stable across
# restarts, so a button on a week-old message still works.
CUSTOM_ID_TEMPLATE = r"helpline:(?P<value>[a-z_]{1,32}(?::[0-9]{1,10}){0,2})"
CUSTOM_ID_PREFIX = "helpline:"
EMBED_TITLE_LIMIT = 256
EMBED_DESCRIPTION_LIMIT = 4096
ANSWER_COLOUR = 0x3B82F6
_ANSWERED_TYPES = frozenset({discord.MessageType.default, discord.MessageType.reply})


@dataclass(frozen=True)
class Placement:
    """Where a message's conversation lives, and whether a thread must be started for the reply."""

    address: Address
    new_thread: bool


@dataclass(frozen=True)
class Outgoing:
    """One Discord message to send: text or an embed, buttons, and the role and users it may ping."""

    content: str | None
    embed: discord.Embed | None = None
    choices: tuple[Choice, ...] = ()
    ping_role: int | None = None
    ping_users: tuple[int, ...] = ()


def author_of(user: discord.User | discord.Member) -> Author:
    """The core's author: the user id, display name, and role names and ids (a member's roles)."""
    roles: frozenset[str] = frozenset()
    if isinstance(user, discord.Member):
        # Names read well in config; ids survive a rename. Either may be used in tiers.yaml and settings.
        named = [role for role in user.roles if not role.is_default()]
        roles = frozenset(role.name for role in named) | frozenset(str(role.id) for role in named)
    return Author(str(user.id), user.display_name, roles)


def address_of(channel: object, guild_id: int | None, started_from: int | None = None) -> Address:
    """The conversation address of a channel; ``started_from`` is a message a thread will be started from.

    A thread started from a message has the message's id, so a question and the thread made for
    it share an address before the thread exists.
    """
    channel_id = getattr(channel, "id", 0)
    if guild_id is None:
        return Address(DISCORD, channel=str(channel_id))
    if isinstance(channel, discord.Thread):
        return Address(DISCORD, str(guild_id), str(channel.parent_id), str(channel.id))
    thread = str(started_from) if started_from is not None else ""
    return Address(DISCORD, str(guild_id), str(channel_id), thread)


def is_answerable(message: discord.Message, bot_id: int) -> bool:
    """False for the bot's own messages, other bots, webhooks and system messages."""
    return (
        message.author.id != bot_id
        and not message.author.bot
        and message.webhook_id is None
        and message.type in _ANSWERED_TYPES
    )


def place(message: discord.Message, bot_id: int, support_channels: frozenset[int]) -> Placement | None:
    """Where the bot answers ``message``, or None if it is not for the bot.

    Direct messages, support channels (text or forum), threads in them, threads the bot started,
    and anywhere the bot is mentioned.
    """
    channel = message.channel
    guild_id = message.guild.id if message.guild is not None else None
    mentioned = bot_id in message.raw_mentions
    if guild_id is None:
        return Placement(address_of(channel, None), new_thread=False)
    if isinstance(channel, discord.Thread):
        ours = channel.parent_id in support_channels or channel.owner_id == bot_id
        return Placement(address_of(channel, guild_id), new_thread=False) if ours or mentioned else None
    if channel.id not in support_channels and not mentioned:
        return None
    can_thread = isinstance(channel, discord.TextChannel)
    return Placement(address_of(channel, guild_id, message.id if can_thread else None), new_thread=can_thread)


def without_mention(content: str, bot_id: int) -> str:
    """The message text with mentions of the bot removed."""
    return re.sub(rf"<@!?{bot_id}>", " ", content).strip()


def incoming(message: discord.Message, placement: Placement, bot_id: int) -> IncomingMessage:
    """The core's message for a Discord message, with its attachments as references to Discord's copies."""
    return IncomingMessage(
        placement.address,
        author_of(message.author),
        without_mention(message.content, bot_id),
        message_id=str(message.id),
        received_at=message.created_at,
        files=tuple(file_ref(attachment) for attachment in message.attachments),
        member_since=getattr(message.author, "joined_at", None),  # a member's; None for a user (a DM)
    )


def file_ref(attachment: discord.Attachment) -> FileRef:
    """An attachment as the core keeps it: its file name, CDN address, media type (if Discord says) and size."""
    return FileRef(attachment.filename, attachment.url, attachment.content_type or "", attachment.size)


def jump_url(address: Address) -> str | None:
    """A link that opens the conversation in Discord, if it is in a server."""
    if address.platform != DISCORD or not address.workspace:
        return None
    return f"https://discord.com/channels/{address.workspace}/{address.thread or address.channel}"


def target_channel(address: Address, staff_channel: int | None) -> int:
    """The channel or thread id a core-initiated message goes to; bare ``discord`` means the staff channel."""
    where = address.thread or address.channel
    if where:
        if not where.isdigit():
            raise ValueError(f"{address} does not name a Discord channel: use discord:CHANNEL_ID")
        return int(where)
    if staff_channel is None:
        raise ValueError("escalations go to 'discord' but discord.staff_channel is not set")
    return staff_channel


def direct_recipient(reply: Reply) -> int | None:
    """The Discord user a direct message goes to (its first Discord user mention); None for any other reply."""
    if reply.destination is not Destination.DIRECT:
        return None
    users = [m.id for m in reply.mentions if m.platform == DISCORD and m.kind == "user" and m.id.isdigit()]
    return int(users[0]) if users else None


def custom_id(choice: Choice) -> str:
    """The button custom id of a choice."""
    return CUSTOM_ID_PREFIX + choice.value


def _answer_embed(reply: Reply) -> discord.Embed:
    citation = reply.citation
    assert citation is not None
    heading, _, body = reply.text.partition("\n")
    title = citation.title[: EMBED_TITLE_LIMIT - 1] or "Answer"
    linked = citation.url.startswith(("https://", "http://"))
    embed = discord.Embed(
        title=title,
        url=citation.url if linked else None,
        description=(f"**{heading}**\n{body}" if body else heading)[:EMBED_DESCRIPTION_LIMIT],
        colour=ANSWER_COLOUR,
    )
    embed.set_footer(text=f"Source: {citation.url}" if not linked else "From the docs")
    return embed


def render(reply: Reply, *, ping_role: int | None = None) -> list[Outgoing]:
    """The Discord messages for one reply; buttons go on the last one.

    Answers become an embed linked to their article. Everything else is plain text with its
    markdown and mentions escaped, since it can quote what users wrote. Only an escalation may
    ping ``ping_role``; an escalation or SLA warning also pings the Discord role and users it names
    in ``reply.mentions`` (a level's people, the on-call shift, the assignee), and nobody else.
    """
    if reply.kind is ReplyKind.ANSWER and reply.citation is not None:
        return [Outgoing(None, _answer_embed(reply), reply.choices)]
    text = escape_user_text(reply.text)
    role = ping_role if reply.kind is ReplyKind.ESCALATION else None
    # A notice that names its own Discord role (an escalation level, the on-call shift) pings that role instead.
    notice = reply.kind in (ReplyKind.ESCALATION, ReplyKind.WARNING)
    own = [m for m in reply.mentions if m.platform == "discord" and m.id.isdigit()] if notice else []
    roles = [int(m.id) for m in own if m.kind == "group"]
    users = tuple(dict.fromkeys(int(m.id) for m in own if m.kind == "user"))
    role = roles[0] if roles else role
    if notice:
        link = jump_url(reply.origin) if reply.origin is not None else None
        if link is not None:
            text += f"\nConversation: {link}"
        elif reply.origin is not None:
            text += f"\nConversation: {reply.origin}"
        people = " ".join([*([f"<@&{role}>"] if role is not None else []), *(f"<@{user}>" for user in users)])
        text = f"{people} {text}" if people else text
    pieces = split_message(text, MESSAGE_LIMIT) or ["(empty reply)"]
    sent = [
        Outgoing(piece, ping_role=role if n == 0 else None, ping_users=users if n == 0 else ())
        for n, piece in enumerate(pieces)
    ]
    last = sent[-1]
    sent[-1] = Outgoing(last.content, None, reply.choices, last.ping_role, last.ping_users)
    return sent


def uploads(reply: Reply) -> list[discord.File]:
    """A reply's files, as a message uploads them."""
    return [discord.File(io.BytesIO(a.data), filename=a.name) for a in reply.attachments]
