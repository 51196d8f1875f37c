"""A command's parts: its parameters, how a typed value is checked, and ``CommandSpec`` (tabled in core.commands)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeAlias

from core.command_records import Command
from core.customers.records import CustomerError, identity
from core.errors import HelplineError

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
    IDENTITY = "identity"  # someone on any platform: platform:id, or a mention on this one (kept as "@id")


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


def identity_of(spec: CommandSpec, text: str) -> str:
    """``platform:id`` as typed (checked), or ``@id`` for a mention on the command's own platform."""
    if _USER_MENTION.fullmatch(text) or ":" not in text:
        return "@" + person_id(spec, text)
    try:
        return identity(text)
    except CustomerError as exc:
        raise spec.error(str(exc)) from None


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
        if value is None or value == self.default or (isinstance(value, str) and not value.strip()):
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
        if self.kind is ParamKind.IDENTITY:
            return identity_of(spec, text)
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
