"""The moderator commands: the one table every platform builds its UI from (records in ``core.command_records``).

An adapter with typed options (Discord's slash commands) builds a record with ``CommandSpec.build``;
text (``/claim 12``) is parsed once, by ``core.desk.commands.parse_command``, into the same records.
This module imports nothing from ``core.desk``, so ``core.messages`` can carry the records.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeAlias

from core.command_records import (
    Acknowledge as Acknowledge,
)
from core.command_records import (
    Assign as Assign,
)
from core.command_records import (
    Claim as Claim,
)
from core.command_records import (
    Command as Command,
)
from core.command_records import (
    Escalate as Escalate,
)
from core.command_records import (
    ExplainSla as ExplainSla,
)
from core.command_records import (
    Help as Help,
)
from core.command_records import (
    KbAdd as KbAdd,
)
from core.command_records import KbApprove, KbArchive, KbDrafts, KbEdit, KbReject, KbShow
from core.command_records import (
    KbSearch as KbSearch,
)
from core.command_records import (
    ListTickets as ListTickets,
)
from core.command_records import (
    Login as Login,
)
from core.command_records import (
    Note as Note,
)
from core.command_records import (
    Rate as Rate,
)
from core.command_records import (
    Reopen as Reopen,
)
from core.command_records import (
    ReplyTo as ReplyTo,
)
from core.command_records import (
    Resolve as Resolve,
)
from core.command_records import (
    SetPriority as SetPriority,
)
from core.command_records import (
    SetTier as SetTier,
)
from core.command_records import (
    ShowTicket as ShowTicket,
)
from core.command_records import (
    Stats as Stats,
)
from core.errors import HelplineError
from core.tickets.priority import Priority

MAX_TICKET_NUMBER = 2**31 - 1
MAX_SCORE = 10  # the widest survey scale (NPS, 0-10)
TICKET_SCOPES = ("open", "mine", "breaching")
_QUOTE_LIMIT = 40


class CommandError(HelplineError):
    """A command that cannot be parsed or built; the message says why and shows the usage."""


Options: TypeAlias = Mapping[str, int | str]


class ParamKind(StrEnum):
    """What a command's parameter holds."""

    TICKET = "ticket"  # a ticket's (or an article's) number, 1 to MAX_TICKET_NUMBER
    TEXT = "text"  # free text, trimmed, never empty
    CHOICE = "choice"  # one of fixed values, compared ignoring case
    SCORE = "score"  # a rating, a whole number 0 to 10 (each survey checks its own scale)
    PERSON = "person"  # someone on the command's platform: a mention (<@123>, <@U123|ana>), @login or a name


# A platform's mention of a user: Discord's <@123> or <@!123>, Slack's <@U123> or <@U123|ana>.
_USER_MENTION = re.compile(r"<@!?([A-Za-z0-9]+)(?:\|[^>]*)?>")
_PERSON = re.compile(r"@?([A-Za-z0-9][A-Za-z0-9._-]*)")


def quoted(token: str) -> str:
    """At most a short piece of what was typed, in quotes: a pasted paragraph makes an unreadable error."""
    flat = " ".join(token.split())
    shown = flat if len(flat) <= _QUOTE_LIMIT else flat[: _QUOTE_LIMIT - 1] + "…"
    return f'"{shown}"'


def either(values: tuple[str, ...]) -> str:
    """``open, mine or breaching``."""
    return ", ".join(values[:-1]) + " or " + values[-1] if len(values) > 1 else "".join(values)


def person_id(spec: CommandSpec, text: str) -> str:
    """The id of the person ``text`` names (``<@123>`` is 123, ``@octocat`` is octocat); refused if it names none."""
    found = _USER_MENTION.fullmatch(text) or _PERSON.fullmatch(text)
    if found is None:
        raise spec.error(f"{quoted(text)} is not a person; mention them (@name) or give their name or login")
    return found.group(1)


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
                raise spec.error(f"{quoted(str(value))} is not {self.noun}")
            if value < 1:
                raise spec.error(f"{quoted(str(value))} is not {self.noun}; they start at 1")
            if value > MAX_TICKET_NUMBER:
                raise spec.error(f"{quoted(str(value))} is too large to be {self.noun}")
            return value
        if self.kind is ParamKind.SCORE:
            return _score(spec, value)
        text = str(value).strip()
        if self.kind is ParamKind.PERSON:
            return person_id(spec, text)
        if self.kind is ParamKind.CHOICE and text.lower() not in self.values:
            raise spec.error(f"{quoted(text)} is not {self.noun}; use {either(self.values)}")
        return text.lower() if self.kind is ParamKind.CHOICE else text


def _score(spec: CommandSpec, value: int | str) -> int:
    text = str(value).strip()
    if isinstance(value, bool) or not text.isdigit() or int(text) > MAX_SCORE:
        raise spec.error(f"{quoted(text)} is not a rating; give a whole number from 0 to {MAX_SCORE}")
    return int(text)


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
_PERSON_PARAM = Param("person", ParamKind.PERSON, "Who takes the ticket", "someone to assign")
_TIER = Param("tier", ParamKind.TEXT, "The tier's name, e.g. enterprise", "a tier", max_chars=64)
_OnTicket: TypeAlias = type[ShowTicket | Claim | Escalate | Acknowledge | ExplainSla | Resolve | Reopen]


def _on_ticket(words: str, usage: str, description: str, record: _OnTicket, sub: str) -> CommandSpec:
    """A command that takes a ticket number and nothing else."""
    return CommandSpec(words, usage, description, record, lambda o: record(_number(o)), (NUMBER,), ("ticket", sub))


ARTICLE = Param("number", ParamKind.TICKET, "The article number, e.g. 3 (kb drafts lists them)", "an article number")


def _on_article(sub: str, description: str, record: type[KbShow | KbApprove | KbArchive]) -> CommandSpec:
    """A knowledge-base command that takes an article number and nothing else."""
    return CommandSpec(
        f"kb {sub}", f"kb {sub} N", description, record, lambda o: record(_number(o)), (ARTICLE,), ("kb", sub)
    )


COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        "tickets", "tickets [open|mine|breaching]", "list tickets (default: open)", ListTickets,
        lambda o: ListTickets(str(o["scope"])), (_SCOPE,), ("ticket", "list"),
    ),
    _on_ticket("ticket", "ticket N", "show ticket N", ShowTicket, "show"),
    _on_ticket("claim", "claim N", "take ticket N", Claim, "claim"),
    CommandSpec(
        "assign", "assign N WHO", "give ticket N to someone; they are told", Assign,
        lambda o: Assign(_number(o), str(o["person"])), (NUMBER, _PERSON_PARAM), ("ticket", "assign"),
    ),
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
    CommandSpec(
        "tier", "tier N TIER", "move ticket N to another tier; its SLA is planned again", SetTier,
        lambda o: SetTier(_number(o), str(o["tier"]).lower()), (NUMBER, _TIER), ("ticket", "tier"),
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
    CommandSpec(
        "kb drafts", "kb drafts", "the review queue: drafts and articles in review", KbDrafts, lambda o: KbDrafts(),
        slash=("kb", "drafts"),
    ),
    _on_article("show", "show article N: its versions, log and what its newest version changes", KbShow),
    CommandSpec(
        "kb edit", "kb edit N [TITLE |] BODY", "save a new version of article N (the title stays if not given)",
        KbEdit, lambda o: KbEdit(_number(o), str(o["body"]), str(o["title"]) or None),
        (
            ARTICLE, Param("body", ParamKind.TEXT, "The article's new text", "a body"),
            Param("title", ParamKind.TEXT, "A new title (empty: keep it)", "a title", "", max_chars=200),
        ),
        ("kb", "edit"),
    ),
    _on_article("approve", "publish article N (without the publisher role: send it to review)", KbApprove),
    CommandSpec(
        "kb reject", "kb reject N [REASON]", "send article N back to draft", KbReject,
        lambda o: KbReject(_number(o), str(o["reason"])),
        (ARTICLE, Param("reason", ParamKind.TEXT, "What the author should change (optional)", "a reason", "")),
        ("kb", "reject"),
    ),
    _on_article("archive", "stop serving article N", KbArchive),
    CommandSpec("stats", "stats", "ticket and SLA statistics", Stats, lambda o: Stats(), slash=("stats",)),
    CommandSpec(
        "rate", "rate SCORE [comment]", "rate the help you got, in the survey's thread", Rate,
        lambda o: Rate(int(o["score"]), str(o["comment"])),
        (
            Param("score", ParamKind.SCORE, "Your rating, on the survey's scale", "a rating"),
            Param("comment", ParamKind.TEXT, "What you would like us to know (optional)", "a comment", ""),
        ),
        ("rate",), moderator=False,
    ),
    CommandSpec(
        "login", "login", "a link that signs you in to the dashboard (once, within 10 minutes; only you see it)",
        Login, lambda o: Login(), slash=("helpline", "login"),
    ),
    CommandSpec("help", "help", "this list", Help, lambda o: Help(), moderator=False),
)  # fmt: skip

# What the groups of grouped platforms (Discord's /ticket and /kb) say about themselves.
GROUPS: Mapping[str, str] = {
    "ticket": "Work on support tickets",
    "kb": "Search, grow and review the knowledge base",
    "helpline": "Your Helpline: sign in to the dashboard",
}

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
    """True for every command but ``help`` and ``rate``."""
    return spec_of(command).moderator
