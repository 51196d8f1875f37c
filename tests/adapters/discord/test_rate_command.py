"""``/rate``: a member's slash command from the core's table, answering the survey asked in their thread."""

from __future__ import annotations

from collections.abc import AsyncIterator

import discord
import pytest
import pytest_asyncio
from discord import app_commands

from bots.discord.commands import SLASH_COMMANDS, build_commands
from core.commands import CommandSpec, Rate
from core.desk.commands import parse_command
from tests.adapters.discord_fake import ANA, MODERATOR_ROLE
from tests.adapters.discord_world import World, make_world

pytestmark = pytest.mark.asyncio


async def _ignore(interaction: discord.Interaction, spec: CommandSpec, options: dict[str, object]) -> None:
    """A run callback for building the tree; nothing is run."""


async def test_rate_is_a_top_level_command_every_member_sees_with_a_ranged_score() -> None:
    [rate] = [c for c in build_commands(_ignore) if c.name == "rate"]
    assert isinstance(rate, app_commands.Command)
    assert rate.default_permissions is None and rate.guild_only  # not hidden behind Manage Messages
    score, comment = rate.parameters
    assert (score.type, score.min_value, score.max_value, score.required) == (
        discord.AppCommandOptionType.integer,
        0,
        10,
        True,
    )
    assert (comment.name, comment.required, comment.default) == ("comment", False, "")
    assert SLASH_COMMANDS[("rate",)].build({"score": 4, "comment": "quick"}) == parse_command("rate 4 quick")
    assert SLASH_COMMANDS[("rate",)].build({"score": 4}) == Rate(4, "")


@pytest_asyncio.fixture
async def world() -> AsyncIterator[World]:
    w = await make_world()
    yield w
    await w.discord.close()


async def test_a_member_rates_the_resolved_ticket_in_its_thread_with_rate(world: World) -> None:
    question = await world.discord.message("the site is down")
    await world.discord.slash("ticket", "resolve", {"number": 1}, roles=(MODERATOR_ROLE,))
    survey = await world.store.surveys.for_ticket(1)
    assert survey is not None, "resolving asks the requester"
    thread = int(survey.address.thread or survey.address.channel)
    assert thread in world.discord.api.threads or thread == question
    await world.discord.slash("rate", None, {"score": 4, "comment": "quick and kind"}, user=ANA, thread=thread)
    rated = await world.store.surveys.get(survey.id)
    assert rated is not None and (rated.score, rated.comment) == (4, "quick and kind")
    *_, thanks = world.discord.api.followups()
    assert "4" in thanks["content"] and thanks["flags"] & 64  # ephemeral: only the rater sees it
