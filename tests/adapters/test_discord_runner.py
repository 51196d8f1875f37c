"""Starting the Discord bot inside ``helpline serve``: intent refusal and an unreachable Discord."""

from __future__ import annotations

import logging

import discord
import pytest

from bots.discord import runner
from bots.discord.app import DiscordOptions, HelplineBot
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
