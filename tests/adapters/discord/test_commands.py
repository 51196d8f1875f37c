"""The slash commands generated from the core's command table: every moderator command, typed options."""

from __future__ import annotations

from typing import Any

import discord
import pytest
from discord import app_commands

from bots.discord.commands import SLASH_COMMANDS, build_commands
from core.commands import COMMANDS, CommandError, CommandSpec, KbAdd
from core.desk.commands import parse_command


async def _ignore(interaction: discord.Interaction, spec: CommandSpec, options: dict[str, object]) -> None:
    """A run callback for building the tree; nothing is run."""


def _tree_paths() -> set[tuple[str, ...]]:
    paths: set[tuple[str, ...]] = set()
    for command in build_commands(_ignore):
        if isinstance(command, app_commands.Group):
            paths |= {(command.name, sub.name) for sub in command.commands}
        else:
            paths.add((command.name,))
    return paths


def test_every_moderator_command_of_the_core_is_in_the_discord_tree() -> None:
    moderator = [spec for spec in COMMANDS if spec.moderator]
    assert all(spec.slash for spec in moderator), [spec.words for spec in moderator if not spec.slash]
    missing = [spec.words for spec in moderator if spec.slash not in _tree_paths()]
    assert missing == []
    assert {("ticket", "ack"), ("ticket", "sla")} <= _tree_paths()


def test_the_generated_options_keep_their_types_ranges_and_choices() -> None:
    tree: dict[str, Any] = {}
    for command in build_commands(_ignore):
        if isinstance(command, app_commands.Group):
            tree |= {f"{command.name} {sub.name}": sub for sub in command.commands}
        else:
            tree[command.name] = command
    assert isinstance(tree["ticket list"], app_commands.Command)
    [scope] = tree["ticket list"].parameters
    assert (scope.name, scope.required, scope.default) == ("scope", False, "open")
    assert [c.value for c in scope.choices] == ["open", "mine", "breaching"]
    number, level = tree["ticket priority"].parameters
    assert (number.type, number.min_value, number.max_value) == (discord.AppCommandOptionType.integer, 1, 2**31 - 1)
    assert [c.value for c in level.choices] == ["critical", "high", "medium", "low"]
    title, body = tree["kb add"].parameters
    assert (title.max_value, body.max_value, title.min_value) == (200, 4000, 1)  # lengths, for text
    assert tree["stats"].parameters == [] and tree["stats"].guild_only


@pytest.mark.parametrize(
    ("command", "options", "text"),
    [
        ("ticket list", {"scope": "breaching"}, "tickets breaching"),
        ("ticket show", {"number": 3}, "ticket 3"),
        ("ticket claim", {"number": 12}, "claim 12"),
        ("ticket assign", {"number": 12, "person": "81234"}, "assign 12 <@81234>"),
        ("ticket tier", {"number": 12, "tier": "Enterprise"}, "tier 12 enterprise"),
        ("ticket reply", {"number": 12, "text": "On it.\nMore soon."}, "reply 12 On it.\nMore soon."),
        ("ticket note", {"number": 12, "text": "customer is on v2"}, "note 12 customer is on v2"),
        ("ticket priority", {"number": 12, "level": "critical"}, "priority 12 critical"),
        ("ticket escalate", {"number": 1}, "escalate 1"),
        ("ticket resolve", {"number": 1}, "resolve 1"),
        ("ticket reopen", {"number": 1}, "reopen 1"),
        ("kb search", {"query": "custom domain"}, "kb search custom domain"),
        ("kb add", {"title": "Ports", "body": "Use 8080 | or 443"}, "kb add Ports | Use 8080 | or 443"),
        ("stats", {}, "stats"),
    ],
)
def test_slash_options_build_the_record_their_command_text_parses_to(
    command: str, options: dict[str, int | str], text: str
) -> None:
    # No text is built from the options any more: the typed record must be the one the text would give.
    assert SLASH_COMMANDS[tuple(command.split())].build(options) == parse_command(text)


def test_slash_options_the_core_cannot_take_are_refused_with_a_reason() -> None:
    with pytest.raises(CommandError, match='"reply" needs a message'):
        SLASH_COMMANDS[("ticket", "reply")].build({"number": 1, "text": "   "})
    with pytest.raises(CommandError, match="they start at 1"):
        SLASH_COMMANDS[("ticket", "claim")].build({"number": 0})
    assert ("ticket", "delete") not in SLASH_COMMANDS
    # Changed with typed commands: no "kb add TITLE | BODY" text is built, so a "|" in a title is kept whole.
    assert SLASH_COMMANDS[("kb", "add")].build({"title": "A | B", "body": "x"}) == KbAdd("A | B", "x")
