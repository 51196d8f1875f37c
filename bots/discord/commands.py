"""The slash commands: ``/ticket ...``, ``/kb ...`` and ``/stats``, each handed to the core as command text.

Discord's default permissions only hide the commands from members; who may run them is
decided by the core against the configured moderator roles, on every call.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Literal

import discord
from discord import app_commands

from core.desk.commands import MAX_TICKET_NUMBER

RunCommand = Callable[[discord.Interaction, str, dict[str, object]], Awaitable[None]]
TicketNumber = app_commands.Range[int, 1, MAX_TICKET_NUMBER]
Text = app_commands.Range[str, 1, 4000]
Scope = Literal["open", "mine", "breaching"]
Level = Literal["critical", "high", "medium", "low"]
# Shown to members with Manage Messages by default; server admins may widen this, the core still checks.
STAFF = discord.Permissions(manage_messages=True)
NUMBER = "The ticket number, e.g. 12"


def _ticket_group(run: RunCommand) -> app_commands.Group:
    group = app_commands.Group(
        name="ticket", description="Work on support tickets", guild_only=True, default_permissions=STAFF
    )

    @group.command(name="list", description="List tickets: open (default), mine or breaching")
    @app_commands.describe(scope="Which tickets: open, mine or breaching")
    async def list_(interaction: discord.Interaction, scope: Scope = "open") -> None:
        await run(interaction, "ticket list", {"scope": scope})

    @group.command(name="show", description="Show a ticket and its history")
    @app_commands.describe(number=NUMBER)
    async def show(interaction: discord.Interaction, number: TicketNumber) -> None:
        await run(interaction, "ticket show", {"number": number})

    @group.command(name="claim", description="Take a ticket as its assignee")
    @app_commands.describe(number=NUMBER)
    async def claim(interaction: discord.Interaction, number: TicketNumber) -> None:
        await run(interaction, "ticket claim", {"number": number})

    @group.command(name="reply", description="Answer a ticket's customer in their thread")
    @app_commands.describe(number=NUMBER, text="What the customer reads in their thread")
    async def reply(interaction: discord.Interaction, number: TicketNumber, text: Text) -> None:
        await run(interaction, "ticket reply", {"number": number, "text": text})

    @group.command(name="note", description="Add an internal note the customer never sees")
    @app_commands.describe(number=NUMBER, text="The note; only staff see it")
    async def note(interaction: discord.Interaction, number: TicketNumber, text: Text) -> None:
        await run(interaction, "ticket note", {"number": number, "text": text})

    @group.command(name="priority", description="Change a ticket's priority and deadlines")
    @app_commands.describe(number=NUMBER, level="The new priority")
    async def priority(interaction: discord.Interaction, number: TicketNumber, level: Level) -> None:
        await run(interaction, "ticket priority", {"number": number, "level": level})

    @group.command(name="escalate", description="Escalate a ticket to its tier's contact now")
    @app_commands.describe(number=NUMBER)
    async def escalate(interaction: discord.Interaction, number: TicketNumber) -> None:
        await run(interaction, "ticket escalate", {"number": number})

    @group.command(name="resolve", description="Mark a ticket resolved")
    @app_commands.describe(number=NUMBER)
    async def resolve(interaction: discord.Interaction, number: TicketNumber) -> None:
        await run(interaction, "ticket resolve", {"number": number})

    @group.command(name="reopen", description="Reopen a resolved ticket")
    @app_commands.describe(number=NUMBER)
    async def reopen(interaction: discord.Interaction, number: TicketNumber) -> None:
        await run(interaction, "ticket reopen", {"number": number})

    return group


def _kb_group(run: RunCommand) -> app_commands.Group:
    group = app_commands.Group(
        name="kb", description="Search and grow the knowledge base", guild_only=True, default_permissions=STAFF
    )

    @group.command(name="search", description="Search the knowledge base")
    @app_commands.describe(query="What to look for")
    async def search(interaction: discord.Interaction, query: Text) -> None:
        await run(interaction, "kb search", {"query": query})

    @group.command(name="add", description="Add an article; it can be found at once")
    @app_commands.describe(title="The article title (no |)", body="The article text")
    async def add(interaction: discord.Interaction, title: app_commands.Range[str, 1, 200], body: Text) -> None:
        await run(interaction, "kb add", {"title": title, "body": body})

    return group


def build_commands(run: RunCommand) -> list[app_commands.Command[Any, ..., None] | app_commands.Group]:
    """Every slash command, each calling ``run`` with its name and options."""

    @app_commands.command(name="stats", description="Ticket and SLA statistics")
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_messages=True)
    async def stats(interaction: discord.Interaction) -> None:
        await run(interaction, "stats", {})

    return [_ticket_group(run), _kb_group(run), stats]
