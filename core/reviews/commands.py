"""The QA review command: its record and table, brought to every platform by ``core.command_extras``.

``review`` alone shows the next ticket to review; ``review N`` shows ticket N; ``review N accuracy=4 … [note]``
scores it; ``review scores`` shows each agent's averages. The scores are checked against the rubric by the desk.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.command_params import CommandSpec, Options, Param, ParamKind, quoted
from core.command_records import ExtraCommand

_PAIR = re.compile(r"([^\s=]+)=(\S*)")
_NUMBER = re.compile(r"#?0*([1-9][0-9]{0,8})")
_WHAT = Param(
    "what", ParamKind.TEXT, "scores, or a ticket number and its scores (accuracy=4 tone=5 …) and a note",
    "a ticket number", "", max_chars=2000,
)  # fmt: skip


@dataclass(frozen=True)
class ReviewTicket(ExtraCommand):
    """Show the next ticket to review (``ticket`` 0) or ticket N, score it, or show the agents' quality scores."""

    ticket: int = 0
    scores: tuple[tuple[str, str], ...] = ()  # (criterion, score) as typed; the desk checks them
    note: str = ""
    show_scores: bool = False


def read_review(text: str) -> ReviewTicket:
    """``review``'s text as its record; a ``CommandError`` (with the usage) for text it cannot read."""
    words = text.split(maxsplit=1)
    if not words:
        return ReviewTicket()
    first, rest = words[0], words[1] if len(words) > 1 else ""
    if first.casefold() == "scores":
        if rest.strip():
            raise REVIEW.error(f'unexpected {quoted(rest)} after "review scores"')
        return ReviewTicket(show_scores=True)
    number = _NUMBER.fullmatch(first)
    if number is None:
        raise REVIEW.error(f"{quoted(first)} is not a ticket number or scores")
    pairs = []
    while (found := _PAIR.match(rest.lstrip())) is not None:
        pairs.append((found.group(1), found.group(2)))
        rest = rest.lstrip()[found.end() :]
    return ReviewTicket(int(number.group(1)), tuple(pairs), rest.strip())


def _make(options: Options) -> ReviewTicket:
    return read_review(str(options["what"]))


REVIEW = CommandSpec(
    "review", "review [N [criterion=score … [note]] | scores]",
    "QA: the next resolved ticket to review, score ticket N on the rubric, or each agent's scores",
    ReviewTicket, _make, (_WHAT,), ("review",),
)  # fmt: skip
REVIEW_COMMANDS: tuple[CommandSpec, ...] = (REVIEW,)
