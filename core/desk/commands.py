"""Moderator commands, parsed once from text for every platform.

Adapters recognise that a message is a command (a slash command, a ``!`` prefix, a mention)
and hand its text here; executing a command is the pipeline's job, not this module's.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeAlias

from core.errors import HelplineError
from core.tickets.records import Priority

MAX_TICKET_NUMBER = 2**31 - 1
TICKET_SCOPES = ("open", "mine", "breaching")


class CommandError(HelplineError):
    """A command that cannot be parsed; the message says why and shows the usage."""


@dataclass(frozen=True)
class ListTickets:
    """List tickets: open ones, the moderator's own, or those missing a target."""

    scope: str = "open"


@dataclass(frozen=True)
class ShowTicket:
    """Show one ticket and its history."""

    number: int


@dataclass(frozen=True)
class Claim:
    """Take a ticket as its assignee."""

    number: int


@dataclass(frozen=True)
class ReplyTo:
    """Answer a ticket's customer."""

    number: int
    text: str


@dataclass(frozen=True)
class Note:
    """Add an internal note the customer never sees."""

    number: int
    text: str


@dataclass(frozen=True)
class SetPriority:
    """Change a ticket's priority, and with it its deadlines."""

    number: int
    priority: Priority


@dataclass(frozen=True)
class Escalate:
    """Hand a ticket to the tier's escalation contact now."""

    number: int


@dataclass(frozen=True)
class Acknowledge:
    """Take an escalation: its chain stops for this ticket."""

    number: int


@dataclass(frozen=True)
class ExplainSla:
    """Show a ticket's SLA clocks: targets, deadlines, time spent, pauses and the calendar."""

    number: int


@dataclass(frozen=True)
class Resolve:
    """Mark a ticket resolved."""

    number: int


@dataclass(frozen=True)
class Reopen:
    """Reopen a resolved ticket."""

    number: int


@dataclass(frozen=True)
class KbSearch:
    """Search the knowledge base."""

    text: str


@dataclass(frozen=True)
class KbAdd:
    """Add an article to the knowledge base."""

    title: str
    body: str


@dataclass(frozen=True)
class Stats:
    """Show ticket and SLA statistics."""


@dataclass(frozen=True)
class Help:
    """List the commands."""


Command: TypeAlias = (
    ListTickets
    | ShowTicket
    | Claim
    | ReplyTo
    | Note
    | SetPriority
    | Escalate
    | Acknowledge
    | ExplainSla
    | Resolve
    | Reopen
    | KbSearch
    | KbAdd
    | Stats
    | Help
)

_SYNTAX: dict[str, tuple[str, str]] = {
    "tickets": ("tickets [open|mine|breaching]", "list tickets (default: open)"),
    "ticket": ("ticket N", "show ticket N"),
    "claim": ("claim N", "take ticket N"),
    "reply": ("reply N TEXT", "answer the customer of ticket N"),
    "note": ("note N TEXT", "add an internal note to ticket N"),
    "priority": ("priority N LEVEL", "set the priority: critical, high, medium or low"),
    "escalate": ("escalate N", "escalate ticket N now"),
    "ack": ("ack N", "acknowledge ticket N's escalation: its chain stops"),
    "sla": ("sla N", "explain ticket N's SLA clocks"),
    "resolve": ("resolve N", "mark ticket N resolved"),
    "reopen": ("reopen N", "reopen ticket N"),
    "kb search": ("kb search TEXT", "search the knowledge base"),
    "kb add": ("kb add TITLE | BODY", "add a knowledge-base article"),
    "stats": ("stats", "ticket and SLA statistics"),
    "help": ("help", "this list"),
}

COMMAND_USAGE: dict[str, str] = {word: f"{syntax} — {what}" for word, (syntax, what) in _SYNTAX.items()}

_WORDS = list(dict.fromkeys(word.split()[0] for word in _SYNTAX))
_NUMBER = re.compile(r"#?([0-9]+)")
_QUOTE_LIMIT = 40


def help_text() -> str:
    """Every command with its usage, one per line, for ``help`` and for refusals."""
    return "Commands:\n" + "\n".join(f"  {usage}" for usage in COMMAND_USAGE.values())


def needs_moderator(command: Command) -> bool:
    """True for every command but ``help``."""
    return not isinstance(command, Help)


def _quote(token: str) -> str:
    # Echo at most a short piece of what was typed: a pasted paragraph makes an unreadable error.
    flat = " ".join(token.split())
    shown = flat if len(flat) <= _QUOTE_LIMIT else flat[: _QUOTE_LIMIT - 1] + "…"
    return f'"{shown}"'


def _error(usage_of: str, problem: str) -> CommandError:
    return CommandError(f"{problem}. Usage: {_SYNTAX[usage_of][0]}")


def _split(text: str) -> tuple[str, str]:
    """The first word and the rest, with the rest's inner whitespace, case and newlines untouched."""
    parts = text.strip().split(maxsplit=1)
    if not parts:
        return "", ""
    return parts[0], parts[1] if len(parts) > 1 else ""


def _number(word: str, token: str) -> int:
    match = _NUMBER.fullmatch(token)
    if match is None:
        raise _error(word, f"{_quote(token)} is not a ticket number; write it like 12 or #12")
    digits = match.group(1).lstrip("0")
    # Checked on the digits, before int(): a huge digit string is refused without converting it.
    if not digits:
        raise _error(word, f"{_quote(token)} is not a ticket number; they start at 1")
    if len(digits) > len(str(MAX_TICKET_NUMBER)) or int(digits) > MAX_TICKET_NUMBER:
        raise _error(word, f"{_quote(token)} is too large to be a ticket number")
    return int(digits)


def _no_more(word: str, rest: str, after: str) -> None:
    if rest.strip():
        raise _error(word, f"unexpected {_quote(rest)} after {after}")


def _ticket_only(word: str, rest: str) -> int:
    token, more = _split(rest)
    if not token:
        raise _error(word, f'"{word}" needs a ticket number')
    number = _number(word, token)
    _no_more(word, more, "the ticket number")
    return number


def _ticket_and_text(word: str, rest: str) -> tuple[int, str]:
    token, text = _split(rest)
    if not token:
        raise _error(word, f'"{word}" needs a ticket number and a message')
    number = _number(word, token)
    if not text.strip():
        raise _error(word, f'"{word}" needs a message after the ticket number')
    return number, text.strip()


def _tickets(rest: str) -> Command:
    scope, more = _split(rest)
    if not scope:
        return ListTickets()
    if scope.lower() not in TICKET_SCOPES:
        raise _error("tickets", f"{_quote(scope)} is not a ticket list; use open, mine or breaching")
    _no_more("tickets", more, f'"{scope}"')
    return ListTickets(scope.lower())


def _priority(rest: str) -> Command:
    token, more = _split(rest)
    level, extra = _split(more)
    if not token or not level:
        raise _error("priority", '"priority" needs a ticket number and a priority')
    number = _number("priority", token)
    try:
        priority = Priority(level.lower())
    except ValueError:
        raise _error("priority", f"{_quote(level)} is not a priority; use critical, high, medium or low") from None
    _no_more("priority", extra, "the priority")
    return SetPriority(number, priority)


def _kb(rest: str) -> Command:
    sub, text = _split(rest)
    if sub.lower() == "search":
        if not text.strip():
            raise _error("kb search", '"kb search" needs something to search for')
        return KbSearch(text.strip())
    if sub.lower() == "add":
        title, bar, body = text.partition("|")
        if not bar:
            raise _error("kb add", '"kb add" needs a title and a body separated by "|"')
        if not title.strip() or not body.strip():
            raise _error("kb add", f'"kb add" needs a {"title before" if not title.strip() else "body after"} the "|"')
        return KbAdd(title.strip(), body.strip())
    what = f"{_quote(sub)} is not a kb command" if sub else '"kb" needs search or add'
    raise CommandError(f"{what}. Usage: {_SYNTAX['kb search'][0]} or {_SYNTAX['kb add'][0]}")


def _bare(word: str, command: Command) -> Callable[[str], Command]:
    def parse(rest: str) -> Command:
        _no_more(word, rest, f'"{word}", which takes nothing more')
        return command

    return parse


def _with_ticket(word: str, make: Callable[[int], Command]) -> Callable[[str], Command]:
    return lambda rest: make(_ticket_only(word, rest))


def _with_text(word: str, make: Callable[[int, str], Command]) -> Callable[[str], Command]:
    return lambda rest: make(*_ticket_and_text(word, rest))


_PARSERS: dict[str, Callable[[str], Command]] = {
    "tickets": _tickets,
    "ticket": _with_ticket("ticket", ShowTicket),
    "claim": _with_ticket("claim", Claim),
    "reply": _with_text("reply", ReplyTo),
    "note": _with_text("note", Note),
    "priority": _priority,
    "escalate": _with_ticket("escalate", Escalate),
    "ack": _with_ticket("ack", Acknowledge),
    "sla": _with_ticket("sla", ExplainSla),
    "resolve": _with_ticket("resolve", Resolve),
    "reopen": _with_ticket("reopen", Reopen),
    "kb": _kb,
    "stats": _bare("stats", Stats()),
    "help": _bare("help", Help()),
}


def parse_command(text: str) -> Command:
    """The command in ``text`` (``claim 12``, ``/reply #3 On it``); ``CommandError`` saying what is wrong."""
    stripped = text.strip()
    if stripped[:1] in ("/", "!"):
        # Platforms and habits differ: "/claim 12" and "!claim 12" both mean "claim 12".
        stripped = stripped[1:]
    word, rest = _split(stripped)
    if not word:
        raise CommandError(f"no command given. Commands: {', '.join(_WORDS)}")
    parser = _PARSERS.get(word.lower())
    if parser is None:
        raise CommandError(f"unknown command {_quote(word)}. Commands: {', '.join(_WORDS)}")
    return parser(rest)
