"""``away`` and ``back``: an agent says they cannot take tickets for now, or can again (Discord's /helpline)."""

from __future__ import annotations

from dataclasses import dataclass

from core.command_params import CommandSpec
from core.command_records import ExtraCommand


@dataclass(frozen=True)
class Presence(ExtraCommand):
    """An agent away (no new tickets; their automatic ones go to others) or back."""

    away: bool


AGENT_COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        "away", "away", "take no new tickets for now; your automatically assigned ones go to others", Presence,
        lambda o: Presence(True), (), ("helpline", "away"),
    ),
    CommandSpec(
        "back", "back", "take tickets again", Presence, lambda o: Presence(False), (), ("helpline", "back"),
    ),
)  # fmt: skip
