"""The slash commands (``/ticket ...``, ``/kb ...``, ``/stats``, ``/rate``), generated from the core's command table.

Each table entry with a slash path becomes a command whose options are its typed parameters; the
callback hands the entry and the options Discord already parsed to the bot, which builds the typed
command record. Discord's default permissions only hide the moderator commands from members (``/rate``
is everyone's); who may run them is decided by the core against the configured moderator roles, on every call.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from typing import Any, Concatenate, Literal, cast

import discord
from discord import app_commands

from core.commands import COMMANDS, GROUPS, MAX_SCORE, MAX_TICKET_NUMBER, CommandSpec, Param, ParamKind

RunCommand = Callable[[discord.Interaction, CommandSpec, dict[str, object]], Awaitable[None]]
AppCommand = app_commands.Command[Any, ..., None] | app_commands.Group
Callback = Callable[Concatenate[discord.Interaction, ...], Coroutine[Any, Any, None]]
# Shown to members with Manage Messages by default; server admins may widen this, the core still checks.
STAFF = discord.Permissions(manage_messages=True)
SLASH_COMMANDS: Mapping[tuple[str, ...], CommandSpec] = {spec.slash: spec for spec in COMMANDS if spec.slash}


def annotation(param: Param) -> Any:
    """The type discord.py reads for an option: a ranged number or text, a fixed set of choices, or a member."""
    if param.kind is ParamKind.PERSON:
        return discord.User  # Discord's member picker; the bot passes on the picked id
    if param.kind is ParamKind.TICKET:
        return app_commands.Range[int, 1, MAX_TICKET_NUMBER]
    if param.kind is ParamKind.SCORE:  # the widest scale; the survey checks its own (CSAT 1-5)
        return app_commands.Range[int, 0, MAX_SCORE]
    if param.kind is ParamKind.CHOICE:
        return cast(Any, Literal)[param.values]
    return app_commands.Range[str, 1, param.max_chars]


def _callback(spec: CommandSpec, run: RunCommand) -> Callback:
    """A callback whose signature carries the entry's options, as discord.py reads them with ``inspect``."""

    async def callback(interaction: discord.Interaction, **options: object) -> None:
        await run(interaction, spec, options)

    first = inspect.Parameter("interaction", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=discord.Interaction)
    options = [
        inspect.Parameter(
            param.name,
            inspect.Parameter.KEYWORD_ONLY,
            annotation=annotation(param),
            default=inspect.Parameter.empty if param.default is None else param.default,
        )
        for param in spec.params
    ]
    callback.__signature__ = inspect.Signature([first, *options])  # type: ignore[attr-defined]
    if spec.params:
        callback = app_commands.describe(**{param.name: param.description for param in spec.params})(callback)
    return callback


def _description(spec: CommandSpec) -> str:
    return spec.description[:1].upper() + spec.description[1:]


def build_commands(run: RunCommand) -> list[AppCommand]:
    """Every slash command of the table, each calling ``run`` with its table entry and options."""
    built: list[AppCommand] = []
    groups: dict[str, app_commands.Group] = {}
    for path, spec in SLASH_COMMANDS.items():
        callback = _callback(spec, run)
        if len(path) == 1:
            callback = app_commands.guild_only()(callback)
            if spec.moderator:  # a member's command (/rate) is shown to everyone
                callback = app_commands.default_permissions(manage_messages=True)(callback)
            built.append(app_commands.command(name=path[0], description=_description(spec))(callback))
            continue
        group_name, name = path
        group = groups.get(group_name)
        if group is None:
            group = groups[group_name] = app_commands.Group(
                name=group_name, description=GROUPS[group_name], guild_only=True, default_permissions=STAFF
            )
            built.append(group)
        group.command(name=name, description=_description(spec))(callback)
    return built


def typed_options(options: dict[str, object]) -> dict[str, int | str]:
    """A slash command's options as the core's table takes them: a picked member (or user) becomes their id."""
    typed: dict[str, int | str] = {}
    for name, value in options.items():
        ident = getattr(value, "id", None)
        if isinstance(value, int | str):
            typed[name] = value
        elif isinstance(ident, int):
            typed[name] = str(ident)
    return typed
