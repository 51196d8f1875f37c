"""Pure translation between console lines and the core's messages and replies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from core.commands import help_text
from core.messages import CONSOLE, Action, Address, Author, Choice, ChoiceMessage, CommandText, IncomingMessage, Reply
from core.sla.deadlines import parse_duration


@dataclass(frozen=True)
class Identity:
    """Who is typing at the console and in which thread."""

    user: str
    roles: frozenset[str]
    thread: str

    @property
    def address(self) -> Address:
        """The console thread of this session."""
        return Address(CONSOLE, "local", "terminal", self.thread)

    @property
    def author(self) -> Author:
        """The typing person as a message author."""
        return Author(self.user, self.user, self.roles)


@dataclass(frozen=True)
class Wait:
    """``/wait 3h``: move the console's clock forward."""

    delta: timedelta


@dataclass(frozen=True)
class Quit:
    """``quit``, ``exit`` or ``/quit``."""


@dataclass(frozen=True)
class BadInput:
    """A console-only command that could not be read."""

    problem: str


ConsoleInput = IncomingMessage | CommandText | ChoiceMessage | Wait | Quit | BadInput

# What only the console understands, as typed there.
CONSOLE_COMMANDS = (
    "/wait DURATION — let time pass, e.g. /wait 3h (SLA warnings and escalations fall due)",
    "quit — leave (or Ctrl-D, Ctrl-C)",
)


def is_help(parsed: ConsoleInput) -> bool:
    """True for ``/help``, which the console answers itself, in its own syntax."""
    return isinstance(parsed, CommandText) and parsed.text.strip().lower() == "help"


def console_help(*, moderator: bool) -> str:
    """``/help``: the commands this person may run, written as they type them at the console."""
    intro = "Ask a question or describe a problem in your own words; pick a choice by typing its number."
    commands = help_text(moderator=moderator, prefix="/")
    return "\n".join([intro, commands, *(f"  {usage}" for usage in CONSOLE_COMMANDS)])


def read_line(line: str, identity: Identity, pending: tuple[Choice, ...], number: int) -> ConsoleInput:
    """What one typed line means: a message, a command, a picked choice, ``/wait`` or quitting."""
    text = line.rstrip("\r\n")
    stripped = text.strip()
    if stripped.lower() in {"quit", "exit", "/quit", "/exit"}:
        return Quit()
    message_id = f"{identity.thread}-{number}"
    if stripped.startswith("/"):
        word, _, rest = stripped[1:].partition(" ")
        if word.lower() == "wait":
            try:
                return Wait(parse_duration(rest))
            except ValueError as exc:
                return BadInput(f"{exc}. Usage: /wait DURATION, e.g. /wait 3h")
        return CommandText(identity.address, identity.author, stripped[1:], message_id)
    if stripped.isdigit() and typed_scale(pending):
        # An NPS survey: the score itself is typed (0-10), not its position.
        by_score = {str(choice.score): choice for choice in pending}
        if stripped not in by_score:
            return BadInput(f"type a score from 0 to {len(pending) - 1}, or type a message")
        picked = by_score[stripped]
        return ChoiceMessage(
            identity.address, identity.author, picked.action, picked.ticket, message_id, score=picked.score
        )
    if stripped.isdigit() and pending:
        # Only short ASCII digits are converted: "²" and a 5,000-digit number are out of range, not a crash.
        index = int(stripped) - 1 if stripped.isascii() and len(stripped) <= 6 else -1
        if not 0 <= index < len(pending):
            return BadInput(f"choose a number from 1 to {len(pending)}, or type a message")
        picked = pending[index]
        return ChoiceMessage(
            identity.address, identity.author, picked.action, picked.ticket, message_id, score=picked.score
        )
    declined = _declined(stripped, pending)
    if declined is not None:  # "no" to "Record this as a feature request?": the offer's way out, not a new message
        return ChoiceMessage(identity.address, identity.author, declined.action, declined.ticket, message_id)
    return IncomingMessage(identity.address, identity.author, text, message_id)


def _declined(text: str, pending: tuple[Choice, ...]) -> Choice | None:
    """The "open a ticket instead" choice when ``no`` answers a feature-request offer; else None."""
    if text.lower().rstrip(".!") not in {"no", "n", "nope"}:
        return None
    if not any(choice.action is Action.FILE_REQUEST for choice in pending):
        return None
    return next((choice for choice in pending if choice.action is Action.OPEN_TICKET), None)


def typed_scale(choices: tuple[Choice, ...]) -> bool:
    """True for a survey whose scale starts at 0 (NPS): its score is typed, as "type 0-10" says."""
    return bool(choices) and all(c.action is Action.RATE for c in choices) and choices[0].score == 0


def as_json(reply: Reply, to: Address | None = None, first_choice: int = 1) -> dict[str, Any]:
    """One ``--json`` output line; choices are numbered from ``first_choice``."""
    return {
        "kind": reply.kind.value,
        "text": reply.text,
        "intent": reply.intent,
        "ticket": reply.ticket,
        "citation": reply.citation.url if reply.citation else None,
        "citation_title": reply.citation.title if reply.citation else None,
        "choices": [
            {"number": n, "label": choice.label, "value": choice.value}
            for n, choice in enumerate(reply.choices, first_choice)
        ],
        "to": str(to) if to is not None else None,
        "mentions": [str(mention) for mention in reply.mentions],
    }
