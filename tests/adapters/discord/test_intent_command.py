"""``/ticket intent`` on Discord: a moderator corrects a ticket's intent; its question becomes an example."""

from __future__ import annotations

from collections.abc import AsyncIterator

import discord
import pytest
import pytest_asyncio
from discord import app_commands

from bots.discord.commands import build_commands
from core.commands import CommandSpec
from tests.adapters.discord_fake import ANA, MODERATOR_ROLE
from tests.adapters.discord_world import World, make_world


@pytest_asyncio.fixture
async def world() -> AsyncIterator[World]:
    w = await make_world()
    yield w
    await w.discord.close()


@pytest.mark.asyncio
async def test_the_slash_command_corrects_the_intent_and_members_are_refused(world: World) -> None:
    await world.discord.message("the site is down")
    await world.discord.slash("ticket", "intent", {"number": 1, "intent": "billing"}, user=ANA, roles=())
    await world.discord.slash("ticket", "intent", {"number": 1, "intent": "Billing"}, roles=(MODERATOR_ROLE,))
    refused, corrected = world.discord.api.followups()
    assert "Only moderators" in refused["content"]
    # Discord would read service_down's underscore as italics: it is escaped, and shows as typed.
    assert corrected["content"] == (
        "Ticket #1 is now billing (was service\\_down); its question is kept as an example of it for the next retrain."
    )
    assert corrected["flags"] == 64  # seen by the moderator alone
    ticket = await world.store.tickets.get(1)
    assert ticket is not None and ticket.intent == "billing"
    [example] = await world.store.intent_examples.examples()
    assert (example.text, example.intent) == ("the site is down", "billing")


async def _ignore(interaction: discord.Interaction, spec: CommandSpec, options: dict[str, object]) -> None:
    """A run callback for building the tree; nothing is run."""


def test_the_command_is_offered_under_ticket_with_a_number_and_a_name() -> None:
    [group] = [c for c in build_commands(_ignore) if c.name == "ticket" and isinstance(c, app_commands.Group)]
    [intent] = [sub for sub in group.commands if sub.name == "intent"]
    assert isinstance(intent, app_commands.Command)
    number, name = intent.parameters
    assert (number.name, number.type, number.required) == ("number", discord.AppCommandOptionType.integer, True)
    assert (name.name, name.type, name.required, name.max_value) == (
        "intent",
        discord.AppCommandOptionType.string,
        True,
        128,
    )
