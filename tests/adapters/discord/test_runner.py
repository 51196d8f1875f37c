"""The Discord bot inside ``helpline serve``: intent refusal, an unreachable Discord, API-only posting, shards."""

from __future__ import annotations

import asyncio
import logging

import discord
import pytest
from aiohttp.test_utils import TestServer

from bots.discord import runner
from bots.discord.app import DiscordOptions, HelplineBot
from core.messages import DISCORD, Address, Outbound, Reply, ReplyKind
from tests.adapters.discord_fake import STAFF, TOKEN, FakeDiscordApi
from tests.desk_fakes import make_harness

pytestmark = pytest.mark.asyncio


class FakeGateway:
    """Stands in for Discord's login and gateway: refuses the privileged intent, or is unreachable at first."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, *, grant_content: bool, unreachable: int = 0) -> None:
        self.started: list[HelplineBot] = []
        self._grant = grant_content
        self._unreachable = unreachable
        gateway = self

        async def start(bot: HelplineBot, token: str, *, reconnect: bool = True) -> None:
            await gateway.connect(bot)

        monkeypatch.setattr(HelplineBot, "start", start)

    async def connect(self, bot: HelplineBot) -> None:
        """What Discord does with one login."""
        self.started.append(bot)
        if self._unreachable:
            self._unreachable -= 1
            raise OSError("Temporary failure in name resolution")
        if bot.intents.message_content and not self._grant:
            raise discord.PrivilegedIntentsRequired(None)


async def test_a_refused_message_content_intent_reconnects_without_it(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    gateway = FakeGateway(monkeypatch, grant_content=False)
    running = runner.DiscordRunner(make_harness().desk, DiscordOptions())
    with caplog.at_level(logging.WARNING, "helpline.discord"):
        await running.run("token")
    assert [bot.intents.message_content for bot in gateway.started] == [True, False]
    assert running.notifier.bot is gateway.started[-1]
    assert "Message Content Intent" in caplog.text and "Reconnecting without it" in caplog.text


async def test_an_unreachable_discord_at_start_is_retried(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(runner, "RETRY_FIRST", 0.01)
    gateway = FakeGateway(monkeypatch, grant_content=True, unreachable=2)
    running = runner.DiscordRunner(make_harness().desk, DiscordOptions())
    with caplog.at_level(logging.WARNING, "helpline.discord"):
        running.start("token")
        assert running._task is not None
        await running._task
    assert len(gateway.started) == 3
    assert caplog.text.count("cannot reach Discord (Temporary failure in name resolution)") == 2


async def test_a_process_without_the_gateway_posts_notices_through_the_http_api() -> None:
    """A web or worker process logs in to Discord's API only, and still delivers escalations to the staff channel."""
    api = FakeDiscordApi()
    server = TestServer(api.app())
    await server.start_server()
    discord.http.Route.BASE = str(server.make_url("/api/v10"))
    running = runner.DiscordRunner(make_harness().desk, DiscordOptions(staff_channel=STAFF), gateway=False)
    try:
        running.start(TOKEN)
        for _ in range(200):
            bot = running.notifier.bot
            if bot is not None and bot.user is not None:
                break
            await asyncio.sleep(0.01)
        notice = Reply(ReplyKind.ESCALATION, "Escalation: ticket #7 missed its first-response target")
        await running.notifier.send(Outbound(Address(DISCORD), notice))
    finally:
        await running.close()
        await server.close()
        discord.http.Route.BASE = "https://discord.com/api/v10"
    [posted] = api.sent(STAFF)
    assert posted["content"].startswith("Escalation: ticket #7")
    assert not any(call.path.startswith("/gateway") for call in api.calls)  # never asked where the gateway is


async def test_a_sharded_bot_identifies_as_its_shard() -> None:
    bot = HelplineBot(make_harness().desk, DiscordOptions(shard_id=1, shard_count=3))
    assert (bot.shard_id, bot.shard_count) == (1, 3)
