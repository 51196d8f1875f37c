"""Pure translation between console lines and the core's messages and replies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from core.messages import CONSOLE, Address, Author, Choice, ChoiceMessage, CommandText, IncomingMessage, Reply
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
    if stripped.isdigit() and pending:
        # Only short ASCII digits are converted: "²" and a 5,000-digit number are out of range, not a crash.
        index = int(stripped) - 1 if stripped.isascii() and len(stripped) <= 6 else -1
        if not 0 <= index < len(pending):
            return BadInput(f"choose a number from 1 to {len(pending)}, or type a message")
        picked = pending[index]
        return ChoiceMessage(identity.address, identity.author, picked.action, picked.ticket, message_id)
    return IncomingMessage(identity.address, identity.author, text, message_id)


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


def as_text(reply: Reply, to: Address | None = None, first_choice: int = 1) -> str:
    """How a reply reads in the terminal; choices are numbered from ``first_choice``."""
    prefix = "error: " if reply.kind.value == "error" else ""
    lines = [prefix + reply.text]
    if reply.citation is not None:
        lines.append(f"source: {reply.citation.title} <{reply.citation.url}>")
    if reply.choices:
        numbered = (f"[{n}] {choice.label}" for n, choice in enumerate(reply.choices, first_choice))
        lines.append("   ".join(numbered))
    body = "\n".join(lines).replace("\n", "\n          ")
    # The console stands in for every platform, so it names whom a notice would notify there.
    mentioning = f", mentioning {', '.join(str(m) for m in reply.mentions)}" if reply.mentions else ""
    where = f"[to {to}{mentioning}] " if to is not None else ""
    return f"helpline> {where}{body}"
