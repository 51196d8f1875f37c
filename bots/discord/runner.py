"""Running the Discord bot inside ``helpline serve``: connect, reconnect, and fall back without privileged intents."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
from typing import TYPE_CHECKING

import aiohttp
import discord

from bots.adapters import AdapterContext, AdapterSpec
from bots.discord.app import DiscordNotifier, DiscordOptions, HelplineBot, create_bot
from config.settings import DiscordSettings
from core.desk.pipeline import SupportDesk
from core.messages import DISCORD

if TYPE_CHECKING:
    from starlette.routing import BaseRoute

    from bots.cli.roles import Shard

log = logging.getLogger("helpline.discord")

RETRY_FIRST = 5.0  # seconds before the first retry when Discord cannot be reached at start
RETRY_LAST = 300.0

INTENT_REFUSED = (
    "Discord refused the message content intent: it is not enabled for this application "
    "(Developer Portal > your application > Bot > Message Content Intent). Reconnecting without it."
)


def discord_options(settings: DiscordSettings) -> DiscordOptions:
    """The bot's options from the ``discord`` settings."""
    return DiscordOptions(
        support_channels=frozenset(settings.support_channels),
        staff_channel=settings.staff_channel,
        on_call_role=settings.on_call_role,
        message_content=settings.message_content,
        command_guilds=settings.command_guilds,
    )


def sharded(options: DiscordOptions, shard: Shard | None, *, auto_shard: bool = False) -> DiscordOptions:
    """The bot's options for one shard; only shard 0 publishes the slash commands, so N shards do not race."""
    if auto_shard:
        return dataclasses.replace(options, auto_shard=True)
    if shard is None:
        return options
    return dataclasses.replace(
        options, shard_id=shard.id, shard_count=shard.count, sync_commands=options.sync_commands and shard.id == 0
    )


class DiscordRunner:
    """Owns the running bot; the notifier always delivers through the current one."""

    def __init__(self, desk: SupportDesk, options: DiscordOptions, *, gateway: bool = True) -> None:
        self._desk = desk
        self._options = options
        # Without the gateway the bot only logs in to Discord's HTTP API: it posts the notices this
        # process makes (escalations, staff replies) while the ``discord`` role's processes receive messages.
        self._gateway = gateway
        self.notifier = DiscordNotifier()
        self._task: asyncio.Task[None] | None = None

    def _new_bot(self, options: DiscordOptions) -> HelplineBot:
        bot = create_bot(self._desk, options)
        self.notifier.bot = bot
        return bot

    async def run(self, token: str) -> None:
        """Log in and stay connected (discord.py reconnects on its own); returns when closed."""
        try:
            if not self._gateway:
                await self._post_only(token)
                return
            await self._connect(token, self._options)
        except discord.PrivilegedIntentsRequired:
            if not self._options.message_content:
                raise
            log.warning(INTENT_REFUSED)
            await self._connect(token, dataclasses.replace(self._options, message_content=False))
        except discord.LoginFailure:
            log.error("Discord rejected DISCORD_TOKEN: check the bot token in the Developer Portal")
            raise

    async def _post_only(self, token: str) -> None:
        bot = self._new_bot(self._options)
        bot.post_only = True
        try:
            await bot.login(token)
            await asyncio.Event().wait()  # until close() cancels this task
        finally:
            if not bot.is_closed():
                await bot.close()

    async def _connect(self, token: str, options: DiscordOptions) -> None:
        bot = self._new_bot(options)
        try:
            await bot.start(token, reconnect=True)
        finally:
            if not bot.is_closed():
                await bot.close()

    def start(self, token: str) -> None:
        """Run in the background; a crash is logged, the rest of Helpline keeps running."""
        self._task = asyncio.create_task(self._guarded(token), name="helpline-discord")

    async def _guarded(self, token: str) -> None:
        delay = RETRY_FIRST
        while True:
            try:
                await self.run(token)
                return  # closed on purpose
            except asyncio.CancelledError:
                raise
            except discord.LoginFailure:
                return  # a wrong token does not fix itself; already logged
            except (OSError, aiohttp.ClientError, discord.GatewayNotFound, discord.ConnectionClosed) as exc:
                # Discord unreachable at start (discord.py retries on its own once connected).
                log.warning("cannot reach Discord (%s); trying again in %.0f s", exc or type(exc).__name__, delay)
            except Exception:
                log.exception("the Discord bot stopped; the rest of Helpline keeps running")
                return
            await asyncio.sleep(delay)
            delay = min(delay * 2, RETRY_LAST)

    async def close(self) -> None:
        """Disconnect and wait for the bot's task to end."""
        if self.notifier.bot is not None:
            await self.notifier.bot.close()
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task


class DiscordAdapter:
    """The Discord plug-in of ``helpline serve``: the runner with its token; it has no HTTP routes."""

    name = DISCORD

    def __init__(self, runner: DiscordRunner, token: str) -> None:
        self.runner = runner
        self._token = token

    @property
    def notifier(self) -> DiscordNotifier:
        """Posts through the current bot."""
        return self.runner.notifier

    def routes(self) -> list[BaseRoute]:
        """None: Discord's events arrive over the gateway."""
        return []

    async def start(self) -> None:
        """Connect in every role: the ``discord`` role's processes receive, the others only post."""
        self.runner.start(self._token)

    async def close(self) -> None:
        """Disconnect."""
        await self.runner.close()


def build(context: AdapterContext) -> DiscordAdapter:
    """The bot for this process's shard (or every recommended one), on the gateway only in the discord role."""
    plan = context.plan
    options = sharded(discord_options(context.settings.discord), plan.shard, auto_shard=plan.auto_shard)
    runner = DiscordRunner(context.desk, options, gateway=plan.gateway)
    return DiscordAdapter(runner, context.env["DISCORD_TOKEN"].strip())


ADAPTER = AdapterSpec(DISCORD, ("DISCORD_TOKEN",), available=True, build=build)
