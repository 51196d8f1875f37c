"""``away`` and ``back``: an agent says they cannot take tickets for now, or can again (Discord's /helpline)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.command_params import CommandError, CommandSpec, Param, ParamKind
from core.command_records import ExtraCommand

_SKILLS = re.compile(r"[a-z0-9_-]{1,64}")
_CHANGE = Param("change", ParamKind.TEXT, "NAME capacity N, or NAME skills a,b (none for any)", "an agent's name",
                "", max_chars=500)  # fmt: skip
AGENT_USAGE = "agent NAME capacity N | agent NAME skills a,b,c (or none)"


@dataclass(frozen=True)
class Presence(ExtraCommand):
    """An agent away (no new tickets; their automatic ones go to others) or back."""

    away: bool


@dataclass(frozen=True)
class ShowTeam(ExtraCommand):
    """The routed agents with their load, skills, capacity, shift and presence."""


@dataclass(frozen=True)
class EditAgent(ExtraCommand):
    """A lead's change to an agent: their capacity, or their skills (an empty tuple: any ticket)."""

    name: str
    capacity: int | None = None
    skills: tuple[str, ...] | None = None


def read_edit(text: str) -> EditAgent:
    """``agent``'s text as its record; ``CommandError`` with the usage for text it cannot read."""
    words = text.split()
    if len(words) != 3 or words[1].lower() not in ("capacity", "skills"):
        raise CommandError(f"Usage: {AGENT_USAGE}")
    name, what, value = words[0], words[1].lower(), words[2]
    if what == "capacity":
        if not value.isdigit() or not 1 <= int(value) <= 500:
            raise CommandError(f"{value!r} is not a capacity: a whole number of open tickets from 1 to 500")
        return EditAgent(name, capacity=int(value))
    skills = () if value.lower() in ("none", "any", "-") else tuple(s.lower() for s in value.split(",") if s)
    wrong = [s for s in skills if not _SKILLS.fullmatch(s)]
    if wrong or (not skills and value.lower() not in ("none", "any", "-")):
        raise CommandError(f"{', '.join(wrong) or value!r}: skills are intent or category names like billing,bug")
    return EditAgent(name, skills=skills)


AGENT_COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        "away", "away", "take no new tickets for now; your automatically assigned ones go to others", Presence,
        lambda o: Presence(True), (), ("helpline", "away"),
    ),
    CommandSpec(
        "back", "back", "take tickets again", Presence, lambda o: Presence(False), (), ("helpline", "back"),
    ),
    CommandSpec("agents", "agents", "the routed agents: open tickets, capacity, skills, shift, away", ShowTeam,
                lambda o: ShowTeam(), (), ("helpline", "agents")),
    CommandSpec("agent", AGENT_USAGE, "change an agent's capacity or skills (kept until changed again)", EditAgent,
                lambda o: read_edit(str(o["change"])), (_CHANGE,), ("helpline", "agent")),
)  # fmt: skip
