"""The Discord bot: the thin shell between discord.py events and the support desk.

Everything slow (the model, FAISS, the database) runs inside the desk, off the event loop or
as non-blocking I/O, so the gateway heartbeat is never held up by a question.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import discord
from discord import app_commands

from bots.discord.commands import build_commands, typed_options
from bots.discord.guard import enforce
from bots.discord.survey import CommentButton, ScoreSelect, comment_view, is_survey, rating, survey_view
from bots.discord.text import thread_name
from bots.discord.translate import (
    Outgoing,
    address_of,
    author_of,
    direct_recipient,
    incoming,
    is_answerable,
    place,
    render,
    target_channel,
    uploads,
    without_mention,
)
from bots.discord.views import ChoiceButton, choice_view
from core.command_records import Rate
from core.commands import CommandError, CommandSpec
from core.desk.pipeline import SupportDesk
from core.messages import (
    DISCORD,
    Action,
    Address,
    Choice,
    ChoiceMessage,
    CommandMessage,
    Outbound,
    Reply,
    ReplyKind,
    not_offered,
)
from core.notify import UndeliverableError

log = logging.getLogger("helpline.discord")
MISSING_PERMISSIONS = 50013  # Discord's error code for a permission the bot lacks in the channel
NO_FILES_PERMISSION = (
    "(The chart is not attached: the bot needs the Attach Files permission here; see docs/discord.md.)"
)

THREAD_EXISTS = 160004  # Discord's error code: a thread has already been started from this message
THREAD_ARCHIVE_MINUTES: Literal[1440] = 1440  # a day without messages
EMPTY_COMMENT = "The comment was empty, so nothing was changed. Your rating is kept."
LIMITED_MODE = (
    "the message content intent is off, so Discord withholds the text of ordinary messages: Helpline answers "
    "messages that mention it, direct messages, buttons and slash commands (staff replies in threads count only "
    "when they mention the bot). To answer every question in the support channels, enable Message Content Intent "
    "(Developer Portal > your application > Bot) and set discord.message_content: true."
)


@dataclass(frozen=True)
class DiscordOptions:
    """The bot's settings (see ``discord`` in docs/configuration.md)."""

    support_channels: frozenset[int] = frozenset()
    staff_channel: int | None = None
    on_call_role: int | None = None
    message_content: bool = True
    command_guilds: tuple[int, ...] = ()
    sync_commands: bool = True
    # One gateway shard of several (``serve --role discord --shard-id I --shard-count N``); None: one connection.
    shard_id: int | None = None
    shard_count: int | None = None
    # All the shards Discord recommends, in this one process (discord.py's AutoShardedClient).
    auto_shard: bool = False
    # Member joins start onboarding journeys; Discord sends them only with the privileged Server Members intent.
    member_joins: bool = False


def mentions_for(ping_role: int | None, ping_users: tuple[int, ...] = ()) -> discord.AllowedMentions:
    """Nobody may be pinged, except the role and users an escalation or SLA warning names."""
    if ping_role is None and not ping_users:
        return discord.AllowedMentions.none()
    roles: list[discord.Object] | bool = [discord.Object(ping_role)] if ping_role is not None else False
    users: list[discord.Object] | bool = [discord.Object(u) for u in ping_users] if ping_users else False
    return discord.AllowedMentions(everyone=False, users=users, roles=roles, replied_user=False)


def _payload(out: Outgoing, extra: discord.ui.View | None = None) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"allowed_mentions": mentions_for(out.ping_role, out.ping_users)}
    if out.content:
        kwargs["content"] = out.content
    if out.embed is not None:
        kwargs["embed"] = out.embed
    view = (survey_view(out.choices) if is_survey(out.choices) else choice_view(out.choices)) or extra
    if view is not None:
        kwargs["view"] = view
    return kwargs


class HelplineBot(discord.Client):
    """Answers questions in threads, runs the buttons and slash commands, and posts the core's notices."""

    def __init__(self, desk: SupportDesk, options: DiscordOptions) -> None:
        intents = discord.Intents.default()
        intents.message_content = options.message_content
        intents.members = options.member_joins
        super().__init__(
            intents=intents,
            allowed_mentions=discord.AllowedMentions.none(),
            shard_id=options.shard_id,
            shard_count=options.shard_count,
        )
        self.desk = desk
        self.options = options
        self.tree = app_commands.CommandTree(self)
        for command in build_commands(self.run_command):
            self.tree.add_command(command)
        self._locks: weakref.WeakValueDictionary[Address, asyncio.Lock] = weakref.WeakValueDictionary()
        self.post_only = False  # logged in to the HTTP API only (a web or worker process): posts, never receives

    async def setup_hook(self) -> None:
        """Make old buttons work again and publish the slash commands."""
        self.add_dynamic_items(ChoiceButton, ScoreSelect, CommentButton)
        if not self.intents.message_content:
            log.warning(LIMITED_MODE)
        if self.options.sync_commands:
            await self.sync_commands()

    async def sync_commands(self) -> None:
        """Publish the slash commands: instantly to ``command_guilds``, else globally (can take an hour)."""
        try:
            for guild_id in self.options.command_guilds:
                guild = discord.Object(guild_id)
                self.tree.copy_global_to(guild=guild)
                await self.tree.sync(guild=guild)
            if not self.options.command_guilds:
                await self.tree.sync()
        except discord.HTTPException as exc:
            log.error("could not publish the slash commands (was the bot invited with applications.commands?): %s", exc)

    async def on_ready(self) -> None:
        """Log where the bot is."""
        channels = ", ".join(str(c) for c in sorted(self.options.support_channels)) or "none (mentions and DMs only)"
        log.info(
            "connected to Discord as %s in %d server(s); support channels: %s", self.user, len(self.guilds), channels
        )

    async def on_member_join(self, member: discord.Member) -> None:
        """Someone joined a server the bot is in: the desk may start their onboarding journey."""
        await self.desk.person_joined(Address(DISCORD, str(member.guild.id)), author_of(member), "discord_join")

    async def on_message(self, message: discord.Message) -> None:
        """A message anywhere the bot can see it."""
        await self.handle_message(message)

    def _lock_for(self, address: Address) -> asyncio.Lock:
        # One conversation at a time per thread, so a quick follow-up never overtakes its question.
        lock = self._locks.get(address)
        if lock is None:
            lock = self._locks[address] = asyncio.Lock()
        return lock

    async def handle_message(self, message: discord.Message) -> None:
        """Answer a question or follow-up, in a thread of its own."""
        me = self.user
        if me is None or not is_answerable(message, me.id):
            return
        placement = place(message, me.id, self.options.support_channels)
        if placement is None or (not self.intents.message_content and not message.content):
            return  # not for us, or Discord withheld the text (no message content intent)
        async with self._lock_for(placement.address):
            replies = await self.desk.handle(incoming(message, placement, me.id))
            if not replies or await enforce(message, replies):
                return  # a delivery already handled (replayed after a reconnect), or spam: deleted, not answered
            target = await self._reply_target(message, placement.new_thread)
            await self._send_all(target, replies)

    async def _reply_target(self, message: discord.Message, new_thread: bool) -> discord.abc.Messageable:
        if not new_thread:
            return message.channel
        name = thread_name(without_mention(message.content, self.user.id if self.user else 0))
        try:
            return await message.create_thread(name=name, auto_archive_duration=THREAD_ARCHIVE_MINUTES)
        except discord.HTTPException as exc:
            if exc.code == THREAD_EXISTS:
                existing = message.guild.get_thread(message.id) if message.guild else None
                found = existing or await self.fetch_channel(message.id)
                if isinstance(found, discord.abc.Messageable):
                    return found
            log.warning("could not start a thread in %s (%s); replying in the channel", message.channel, exc)
            return message.channel

    async def _send_all(self, target: discord.abc.Messageable, replies: Sequence[Reply]) -> None:
        for reply in replies:
            try:
                for out in render(reply):
                    await target.send(**_payload(out))
            except discord.HTTPException as exc:  # kept in the store; say in the log what the member missed
                log.error("could not send a %s reply (ticket %s) to Discord: %s", reply.kind, reply.ticket, exc)

    async def handle_choice(self, interaction: discord.Interaction, value: str) -> None:
        """A button was pressed or a score picked: rate an answer or a survey, ask for a human, claim a ticket."""
        try:
            choice: Choice | None = Choice.parse(value)
        except ValueError:
            choice = None
        if choice is None or (choice.action is Action.RATE and rating(value) is None):
            # An old or forged custom id: refused, privately.
            await interaction.response.defer(ephemeral=True, thinking=True)
            await self._follow_up(interaction, [not_offered(value)], ephemeral=True)
            return
        action = choice.action
        private = action in (Action.CLAIM, Action.HELPFUL, Action.RATE, Action.VOTE, Action.UNVOTE)
        await interaction.response.defer(ephemeral=private, thinking=True)
        address = address_of(interaction.channel, interaction.guild_id)
        author = author_of(interaction.user)
        interaction_id = f"interaction-{interaction.id}"
        message = ChoiceMessage(address, author, action, choice.ticket, interaction_id, score=choice.score)
        async with self._lock_for(address):
            replies = await self.desk.handle(message)
        rated = action is Action.RATE and all(r.kind is not ReplyKind.ERROR for r in replies)
        extra = comment_view(choice.ticket) if rated and choice.ticket is not None else None
        await self._follow_up(interaction, replies, ephemeral=private, extra=extra)
        # A survey keeps its buttons: a rating may be changed for a while.
        done = all(r.kind is not ReplyKind.ERROR and not r.choices for r in replies)
        if done and action not in (Action.CLAIM, Action.RATE, Action.VOTE, Action.UNVOTE):  # shared buttons stay
            await _settle(interaction)

    async def handle_comment(self, interaction: discord.Interaction, survey: int, text: str) -> None:
        """A survey's comment form was submitted: the core keeps the comment with the rating."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        if not text.strip():
            await self._follow_up(interaction, [Reply(ReplyKind.ERROR, EMPTY_COMMENT)], ephemeral=True)
            return
        address = address_of(interaction.channel, interaction.guild_id)
        command = Rate(None, text.strip(), survey)
        message = CommandMessage(address, author_of(interaction.user), command, f"interaction-{interaction.id}")
        await self._follow_up(interaction, await self.desk.handle(message), ephemeral=True)

    async def run_command(
        self, interaction: discord.Interaction, spec: CommandSpec, options: dict[str, object]
    ) -> None:
        """A slash command: its typed record is built from the options, and the core checks the moderator role
        and runs it; the answer is ephemeral."""
        await interaction.response.defer(ephemeral=True, thinking=True)
        address = address_of(interaction.channel, interaction.guild_id)
        author = author_of(interaction.user)
        try:
            command = spec.build(typed_options(options))
        except CommandError as exc:  # Discord checks types and ranges; text of only spaces still gets here
            await self._follow_up(interaction, [self.desk.command_error(DISCORD, author, exc)], ephemeral=True)
            return
        message = CommandMessage(address, author, command, f"interaction-{interaction.id}")
        await self._follow_up(interaction, await self.desk.handle(message), ephemeral=True)

    async def _follow_up(
        self,
        interaction: discord.Interaction,
        replies: Sequence[Reply],
        *,
        ephemeral: bool,
        extra: discord.ui.View | None = None,
    ) -> None:
        # Only the first follow-up inherits the deferral's privacy; later pieces must ask again.
        outs = [(out, r) for r in replies or [Reply(ReplyKind.INFO, "Done.")] for out in render(r)]
        for n, (out, reply) in enumerate(outs):
            view = extra if n == len(outs) - 1 else None  # e.g. "Add a comment", under the last piece
            last = n == len(outs) - 1 or outs[n + 1][1] is not reply
            payload = _payload(out, view)
            if last and reply.attachments:  # a reply's files go with its last piece
                payload["files"] = uploads(reply)
            await interaction.followup.send(**payload, ephemeral=ephemeral)

    async def deliver(self, outbound: Outbound) -> None:
        """Post a message the core started (an escalation, a staff reply) to its channel or thread."""
        user = direct_recipient(outbound.reply)  # a direct message (a journey step) goes to the person's DMs
        try:
            channel_id = 0 if user is not None else target_channel(outbound.address, self.options.staff_channel)
        except ValueError as exc:
            raise UndeliverableError(str(exc)) from None
        channel = await self.create_dm(discord.Object(user)) if user is not None else await self._channel(channel_id)
        if not isinstance(channel, discord.abc.Messageable):
            raise UndeliverableError(f"Discord channel {channel_id} cannot receive messages")
        outs = render(outbound.reply, ping_role=self.options.on_call_role)
        for n, out in enumerate(outs):
            if n < len(outs) - 1 or not outbound.reply.attachments:
                await channel.send(**_payload(out))
                continue
            # The files go with the last piece (the digest with its chart): one message, so a refused
            # upload is retried without the text having been posted alone.
            try:
                await channel.send(**_payload(out), files=uploads(outbound.reply))
            except discord.Forbidden as exc:
                if exc.code != MISSING_PERMISSIONS:
                    raise
                # No Attach Files here: retrying would never work, so the text goes alone and says so.
                log.warning("no Attach Files permission in Discord channel %s; posting without the files", channel_id)
                await channel.send(**_payload(out))
                await channel.send(content=NO_FILES_PERMISSION, allowed_mentions=discord.AllowedMentions.none())

    async def _channel(self, channel_id: int) -> Any:
        found = self.get_channel(channel_id)
        if found is not None:
            return found
        # Without the gateway there is no channel cache to look in; Discord itself refuses a bad id when posting.
        return self.get_partial_messageable(channel_id) if self.post_only else await self.fetch_channel(channel_id)


class DiscordNotifier:
    """The core's notifier port for Discord: delivers through whichever bot is running."""

    def __init__(self, bot: HelplineBot | None = None) -> None:
        self.bot = bot

    async def send(self, outbound: Outbound) -> None:
        """Deliver, or raise so the core can retry later."""
        bot = self.bot
        if bot is None or bot.user is None or bot.is_closed():
            raise UndeliverableError(f"cannot deliver to {outbound.address}: the Discord bot is not connected")
        await bot.deliver(outbound)


class AutoShardedHelplineBot(HelplineBot, discord.AutoShardedClient):
    """The same bot, connected with as many gateway shards as Discord recommends for it."""


def create_bot(desk: SupportDesk, options: DiscordOptions) -> HelplineBot:
    """A Discord bot on a running support desk; log it in with ``bot.start(token)`` (tests use a fake API)."""
    return (AutoShardedHelplineBot if options.auto_shard else HelplineBot)(desk, options)


async def _settle(interaction: discord.Interaction) -> None:
    """Take the buttons off the message once one was chosen, as Slack does, so a choice is made once."""
    if interaction.message is None:
        return
    try:
        await interaction.message.edit(view=None)
    except discord.HTTPException as exc:  # the choice counted; only its buttons stay
        log.warning("could not take the buttons off message %s: %s", interaction.message.id, exc)
