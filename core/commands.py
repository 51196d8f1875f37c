"""The moderator commands: their typed records and the one table every platform builds its UI from.

An adapter with typed options (Discord's slash commands) builds a record with ``CommandSpec.build``;
text (``/claim 12``) is parsed once, by ``core.desk.commands.parse_command``, into the same records.
This module imports nothing from ``core.desk``, so ``core.messages`` can carry the records.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeAlias

from core.errors import HelplineError
from core.tickets.priority import Priority

MAX_TICKET_NUMBER = 2**31 - 1
TICKET_SCOPES = ("open", "mine", "breaching")
_QUOTE_LIMIT = 40


class CommandError(HelplineError):
    """A command that cannot be parsed or built; the message says why and shows the usage."""


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
Options: TypeAlias = Mapping[str, int | str]


class ParamKind(StrEnum):
    """What a command's parameter holds."""

    TICKET = "ticket"  # a ticket number, 1 to MAX_TICKET_NUMBER
    TEXT = "text"  # free text, trimmed, never empty
    CHOICE = "choice"  # one of fixed values, compared ignoring case


def quoted(token: str) -> str:
    """At most a short piece of what was typed, in quotes: a pasted paragraph makes an unreadable error."""
    flat = " ".join(token.split())
    shown = flat if len(flat) <= _QUOTE_LIMIT else flat[: _QUOTE_LIMIT - 1] + "…"
    return f'"{shown}"'


def either(values: tuple[str, ...]) -> str:
    """``open, mine or breaching``."""
    return ", ".join(values[:-1]) + " or " + values[-1] if len(values) > 1 else "".join(values)


@dataclass(frozen=True)
class Param:
    """One parameter of a command: its option name, kind, description and how errors name it."""

    name: str
    kind: ParamKind
    description: str
    noun: str  # how an error names it: "a ticket number", "something to search for"
    default: str | None = None  # None: required
    values: tuple[str, ...] = ()  # the fixed values of a CHOICE
    max_chars: int = 4000  # the longest TEXT a platform form should accept

    @property
    def required(self) -> bool:
        """True when the command cannot run without it."""
        return self.default is None

    def check(self, spec: CommandSpec, value: int | str | None) -> int | str:
        """``value`` made ready for the record (trimmed, lower-cased, defaulted); ``CommandError`` if it cannot be."""
        if value is None or (isinstance(value, str) and not value.strip()):
            if self.default is not None:
                return self.default
            raise spec.error(f'"{spec.words}" needs {self.noun}')
        if self.kind is ParamKind.TICKET:
            if isinstance(value, (str, bool)):
                raise spec.error(f"{quoted(str(value))} is not a ticket number")
            if value < 1:
                raise spec.error(f"{quoted(str(value))} is not a ticket number; they start at 1")
            if value > MAX_TICKET_NUMBER:
                raise spec.error(f"{quoted(str(value))} is too large to be a ticket number")
            return value
        text = str(value).strip()
        if self.kind is ParamKind.CHOICE and text.lower() not in self.values:
            raise spec.error(f"{quoted(text)} is not {self.noun}; use {either(self.values)}")
        return text.lower() if self.kind is ParamKind.CHOICE else text


@dataclass(frozen=True)
class CommandSpec:
    """One command as every platform offers it: its words, usage, parameters and the record it builds."""

    words: str  # as typed: "claim", "kb search"
    usage: str
    description: str
    record: type[Command]
    make: Callable[[Options], Command]
    params: tuple[Param, ...] = ()
    # Where platforms with grouped commands put it: ("ticket", "claim") is Discord's /ticket claim.
    slash: tuple[str, ...] = ()
    moderator: bool = True

    def error(self, problem: str) -> CommandError:
        """A ``CommandError`` saying ``problem`` and this command's usage."""
        return CommandError(f"{problem}. Usage: {self.usage}")

    def build(self, options: Options) -> Command:
        """The record for typed ``options`` (by parameter name); ``CommandError`` for a missing or bad one."""
        return self.make({param.name: param.check(self, options.get(param.name)) for param in self.params})


def _number(options: Options) -> int:
    return int(options["number"])


def _with_text(record: Callable[[int, str], Command]) -> Callable[[Options], Command]:
    return lambda options: record(_number(options), str(options["text"]))


NUMBER = Param("number", ParamKind.TICKET, "The ticket number, e.g. 12", "a ticket number")
_SCOPE = Param(
    "scope", ParamKind.CHOICE, "Which tickets: open, mine or breaching", "a ticket list", "open", TICKET_SCOPES
)
_LEVEL = Param("level", ParamKind.CHOICE, "The new priority", "a priority", values=tuple(p.value for p in Priority))
_OnTicket: TypeAlias = type[ShowTicket | Claim | Escalate | Acknowledge | ExplainSla | Resolve | Reopen]


def _on_ticket(words: str, usage: str, description: str, record: _OnTicket, sub: str) -> CommandSpec:
    """A command that takes a ticket number and nothing else."""
    return CommandSpec(words, usage, description, record, lambda o: record(_number(o)), (NUMBER,), ("ticket", sub))


COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        "tickets", "tickets [open|mine|breaching]", "list tickets (default: open)", ListTickets,
        lambda o: ListTickets(str(o["scope"])), (_SCOPE,), ("ticket", "list"),
    ),
    _on_ticket("ticket", "ticket N", "show ticket N", ShowTicket, "show"),
    _on_ticket("claim", "claim N", "take ticket N", Claim, "claim"),
    CommandSpec(
        "reply", "reply N TEXT", "answer the customer of ticket N", ReplyTo, _with_text(ReplyTo),
        (NUMBER, Param("text", ParamKind.TEXT, "What the customer reads in their thread", "a message")),
        ("ticket", "reply"),
    ),
    CommandSpec(
        "note", "note N TEXT", "add an internal note to ticket N", Note, _with_text(Note),
        (NUMBER, Param("text", ParamKind.TEXT, "The note; only staff see it", "a message")), ("ticket", "note"),
    ),
    CommandSpec(
        "priority", "priority N LEVEL", "set the priority: critical, high, medium or low", SetPriority,
        lambda o: SetPriority(_number(o), Priority(str(o["level"]))), (NUMBER, _LEVEL), ("ticket", "priority"),
    ),
    _on_ticket("escalate", "escalate N", "escalate ticket N now", Escalate, "escalate"),
    _on_ticket("ack", "ack N", "acknowledge ticket N's escalation: its chain stops", Acknowledge, "ack"),
    _on_ticket("sla", "sla N", "explain ticket N's SLA clocks", ExplainSla, "sla"),
    _on_ticket("resolve", "resolve N", "mark ticket N resolved", Resolve, "resolve"),
    _on_ticket("reopen", "reopen N", "reopen ticket N", Reopen, "reopen"),
    CommandSpec(
        "kb search", "kb search TEXT", "search the knowledge base", KbSearch, lambda o: KbSearch(str(o["query"])),
        (Param("query", ParamKind.TEXT, "What to look for", "something to search for"),), ("kb", "search"),
    ),
    CommandSpec(
        "kb add", "kb add TITLE | BODY", "add a knowledge-base article", KbAdd,
        lambda o: KbAdd(str(o["title"]), str(o["body"])),
        (
            Param("title", ParamKind.TEXT, "The article title", "a title", max_chars=200),
            Param("body", ParamKind.TEXT, "The article text", "a body"),
        ),
        ("kb", "add"),
    ),
    CommandSpec("stats", "stats", "ticket and SLA statistics", Stats, lambda o: Stats(), slash=("stats",)),
    CommandSpec("help", "help", "this list", Help, lambda o: Help(), moderator=False),
)  # fmt: skip

# What the groups of grouped platforms (Discord's /ticket and /kb) say about themselves.
GROUPS: Mapping[str, str] = {"ticket": "Work on support tickets", "kb": "Search and grow the knowledge base"}

COMMAND_USAGE: dict[str, str] = {spec.words: f"{spec.usage} — {spec.description}" for spec in COMMANDS}
BY_WORDS: Mapping[str, CommandSpec] = {spec.words: spec for spec in COMMANDS}
_BY_RECORD: Mapping[type[Command], CommandSpec] = {spec.record: spec for spec in COMMANDS}


def spec_of(command: Command) -> CommandSpec:
    """The table's entry for a command record."""
    return _BY_RECORD[type(command)]


def help_text(*, moderator: bool = True, prefix: str = "") -> str:
    """The commands a person may run (every one for a moderator), one per line, as typed with ``prefix``."""
    usages = (f"{prefix}{spec.usage} — {spec.description}" for spec in COMMANDS if moderator or not spec.moderator)
    return "Commands:\n" + "\n".join(f"  {usage}" for usage in usages)


def needs_moderator(command: Command) -> bool:
    """True for every command but ``help``."""
    return spec_of(command).moderator
