"""Moderator commands typed as text (``/claim 12``, ``/helpline claim 12``), parsed once for every platform.

The words, usage and parameters come from the command table (``core.commands``); this module reads the
text into the table's typed options and builds the record from them. Running a command is
``core.desk.moderation``'s job, not this module's.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from core.commands import (
    BY_WORDS,
    COMMANDS,
    MAX_TICKET_NUMBER,
    Command,
    CommandError,
    CommandSpec,
    Options,
    ParamKind,
    either,
    quoted,
)

_NUMBER = re.compile(r"#?([0-9]+)")
_WORDS = list(dict.fromkeys(spec.words.split()[0] for spec in COMMANDS))
_GROUPS = {spec.words.split()[0] for spec in COMMANDS if " " in spec.words}


def _split(text: str) -> tuple[str, str]:
    """The first word and the rest, with the rest's inner whitespace, case and newlines untouched."""
    parts = text.strip().split(maxsplit=1)
    if not parts:
        return "", ""
    return parts[0], parts[1] if len(parts) > 1 else ""


def _number(spec: CommandSpec, token: str) -> int:
    noun = spec.params[0].noun  # "a ticket number", "an article number"
    match = _NUMBER.fullmatch(token)
    if match is None:
        raise spec.error(f"{quoted(token)} is not {noun}; write it like 12 or #12")
    digits = match.group(1).lstrip("0")
    # Checked on the digits, before int(): a huge digit string is refused without converting it.
    if not digits:
        raise spec.error(f"{quoted(token)} is not {noun}; they start at 1")
    if len(digits) > len(str(MAX_TICKET_NUMBER)) or int(digits) > MAX_TICKET_NUMBER:
        raise spec.error(f"{quoted(token)} is too large to be {noun}")
    return int(digits)


def _no_more(spec: CommandSpec, rest: str, after: str) -> None:
    if rest.strip():
        raise spec.error(f"unexpected {quoted(rest)} after {after}")


def _bare(spec: CommandSpec, rest: str) -> Options:
    _no_more(spec, rest, f'"{spec.words}", which takes nothing more')
    return {}


def _ticket(spec: CommandSpec, rest: str) -> Options:
    [first] = spec.params
    token, more = _split(rest)
    if not token:
        if not first.required:  # an optional number (``call`` alone): the parameter's default decides
            return {}
        raise spec.error(f'"{spec.words}" needs {first.noun}')
    number = _number(spec, token)
    _no_more(spec, more, "the " + _bare_noun(first.noun))
    return {first.name: number}


def _ticket_and_text(spec: CommandSpec, rest: str) -> Options:
    first, second = spec.params
    token, text = _split(rest)
    if not token:
        raise spec.error(f'"{spec.words}" needs {first.noun} and {second.noun}')
    number = _number(spec, token)
    if not text.strip() and second.required:
        raise spec.error(f'"{spec.words}" needs {second.noun} after the {_bare_noun(first.noun)}')
    return {first.name: number, second.name: text}


def _ticket_and_edit(spec: CommandSpec, rest: str) -> Options:
    """``kb edit 3 New title | New text`` or ``kb edit 3 New text``: before the first "|" is the title."""
    number_param, body, title = spec.params
    token, text = _split(rest)
    if not token:
        raise spec.error(f'"{spec.words}" needs {number_param.noun} and {body.noun}')
    number = _number(spec, token)
    head, bar, tail = text.partition("|")
    if bar and not head.strip():
        raise spec.error(f'"{spec.words}" needs {title.noun} before the "|"')
    if not (tail if bar else text).strip():
        raise spec.error(f'"{spec.words}" needs {body.noun} after the {_bare_noun(number_param.noun)}')
    return (
        {number_param.name: number, body.name: tail, title.name: head}
        if bar
        else {number_param.name: number, body.name: text}
    )


def _bare_noun(noun: str) -> str:
    return noun.removeprefix("a ").removeprefix("an ")


def _choice(spec: CommandSpec, rest: str) -> Options:
    [param] = spec.params
    value, more = _split(rest)
    if not value:
        return {}
    checked = param.check(spec, value)
    _no_more(spec, more, f'"{value}"')
    return {param.name: checked}


def _ticket_and_choice(spec: CommandSpec, rest: str) -> Options:
    first, second = spec.params
    token, more = _split(rest)
    value, extra = _split(more)
    if not token or (not value and second.required):
        raise spec.error(f'"{spec.words}" needs a ticket number and {second.noun}')
    number = _number(spec, token)
    if not value:  # an optional choice left out ("escalate 6")
        return {first.name: number}
    checked = second.check(spec, value)
    _no_more(spec, extra, "the " + _bare_noun(second.noun))
    return {first.name: number, second.name: checked}


def _ticket_and_person(spec: CommandSpec, rest: str) -> Options:
    first, second = spec.params
    token, more = _split(rest)
    if not token:
        raise spec.error(f'"{spec.words}" needs a ticket number and {second.noun}')
    number = _number(spec, token)
    who, extra = _split(more)
    if not who:
        raise spec.error(f'"{spec.words}" needs {second.noun} after the ticket number')
    checked = second.check(spec, who)
    _no_more(spec, extra, quoted(who))
    return {first.name: number, second.name: checked}


def _identities(spec: CommandSpec, rest: str) -> Options:
    """``customer link @ana github:ana``: one identity per parameter, nothing after them."""
    options: dict[str, int | str] = {}
    for param in spec.params:
        token, rest = _split(rest)
        if not token:
            raise spec.error(f'"{spec.words}" needs {param.noun}')
        options[param.name] = token
    _no_more(spec, rest, quoted(str(options[spec.params[-1].name])))
    return options


def _text(spec: CommandSpec, rest: str) -> Options:
    return {spec.params[0].name: rest}


def _two_texts(spec: CommandSpec, rest: str) -> Options:
    first, second = spec.params
    head, bar, tail = rest.partition("|")
    if not bar:
        raise spec.error(f'"{spec.words}" needs {first.noun} and {second.noun} separated by "|"')
    if not head.strip() or not tail.strip():
        where = f"{first.noun} before" if not head.strip() else f"{second.noun} after"
        raise spec.error(f'"{spec.words}" needs {where} the "|"')
    return {first.name: head, second.name: tail}


def _score_and_text(spec: CommandSpec, rest: str) -> Options:
    """``rate 4 quick and kind``: the first word is the rating, the rest (maybe nothing) the comment."""
    score, comment = spec.params
    token, more = _split(rest)
    if not token:
        raise spec.error(f'"{spec.words}" needs {score.noun}')
    return {score.name: token, comment.name: more}


def _ticket_choice_and_text(spec: CommandSpec, rest: str) -> Options:
    """``request status 12 planned Shipping in May``: a number, a fixed value, then free text (maybe none)."""
    first, second, third = spec.params
    token, more = _split(rest)
    value, text = _split(more)
    if not token or not value:
        raise spec.error(f'"{spec.words}" needs {first.noun} and {second.noun}')
    return {first.name: _number(spec, token), second.name: second.check(spec, value), third.name: text}


def _two_numbers(spec: CommandSpec, rest: str) -> Options:
    """``request merge 14 12`` (or ``14 into 12``): two numbers."""
    first, second = spec.params
    token, more = _split(rest)
    other, extra = _split(more)
    if other.lower() == "into":
        other, extra = _split(extra)
    if not token or not other:
        raise spec.error(f'"{spec.words}" needs two numbers')
    numbers = {first.name: _number(spec, token), second.name: _number(spec, other)}
    _no_more(spec, extra, "the second number")
    return numbers


_TICKET, _TEXT, _CHOICE, _PERSON = ParamKind.TICKET, ParamKind.TEXT, ParamKind.CHOICE, ParamKind.PERSON
# How text is read into options, by the kinds of a command's parameters.
_READERS: dict[tuple[ParamKind, ...], Callable[[CommandSpec, str], Options]] = {
    (): _bare,
    (_TICKET,): _ticket,
    (_TICKET, _TEXT): _ticket_and_text,
    (_TICKET, _TEXT, _TEXT): _ticket_and_edit,
    (_CHOICE,): _choice,
    (_TICKET, _CHOICE): _ticket_and_choice,
    (_TICKET, _PERSON): _ticket_and_person,
    (_TEXT,): _text,
    (_TEXT, _TEXT): _two_texts,
    (ParamKind.SCORE, _TEXT): _score_and_text,
    (ParamKind.IDENTITY,): _identities,
    (ParamKind.IDENTITY, ParamKind.IDENTITY): _identities,
    (_TICKET, _CHOICE, _TEXT): _ticket_choice_and_text,
    (_TICKET, _TICKET): _two_numbers,
}


def _spec(word: str, rest: str) -> tuple[CommandSpec, str]:
    """The table entry named by the first word (and, for a group such as ``kb``, the second), and the rest."""
    name = word.lower()
    if name not in _GROUPS:
        spec = BY_WORDS.get(name)
        if spec is None:
            raise CommandError(f"unknown command {quoted(word)}. Commands: {', '.join(_WORDS)}")
        return spec, rest
    sub, more = _split(rest)
    spec = BY_WORDS.get(f"{name} {sub.lower()}")
    if spec is not None:
        return spec, more
    members = [s for s in COMMANDS if s.words.split()[0] == name]
    subs = tuple(s.words.split(maxsplit=1)[1] for s in members)
    what = f"{quoted(sub)} is not a {name} command" if sub else f'"{name}" needs {either(subs)}'
    raise CommandError(f"{what}. Usage: {' or '.join(s.usage for s in members)}")


def names_public_command(text: str) -> bool:
    """True when ``text`` starts with a command anyone may run (``rate``, ``help``), however it goes on."""
    word, _ = _split(text.strip().lstrip("/!"))
    spec = BY_WORDS.get(word.lower())
    return spec is not None and not spec.moderator


def parse_command(text: str) -> Command:
    """The command in ``text`` (``claim 12``, ``/reply #3 On it``); ``CommandError`` saying what is wrong."""
    stripped = text.strip()
    if stripped[:1] in ("/", "!"):
        # Platforms and habits differ: "/claim 12" and "!claim 12" both mean "claim 12".
        stripped = stripped[1:]
    word, rest = _split(stripped)
    if not word:
        raise CommandError(f"no command given. Commands: {', '.join(_WORDS)}")
    spec, rest = _spec(word, rest)
    reader = _READERS.get(tuple(param.kind for param in spec.params))
    if reader is None:  # a table entry whose parameters have no text form yet
        raise CommandError(f'"{spec.words}" cannot be typed as text yet')
    return spec.build(reader(spec, rest))
