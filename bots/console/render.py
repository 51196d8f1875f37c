"""How replies look in a terminal: Markdown rendered, wrapped under their label, coloured only where colour fits."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import TextIO

from rich.console import Console, Group, RenderableType
from rich.markdown import Markdown
from rich.table import Table
from rich.text import Text

from bots.console.translate import typed_scale
from core.messages import Address, Mention, Reply, ReplyKind

LABEL = "helpline> "
_PLATFORMS = {"console": "the console", "slack": "Slack", "discord": "Discord", "github": "GitHub"}
# A line that starts a Markdown block of its own (list item, table row, fence, heading, quote).
_BLOCK_LINE = re.compile(r"^\s*([-*+] |\d+[.)] |\||```|~~~|#|>)")
_FENCE = re.compile(r"^\s*(```|~~~)")
_INDENTED = re.compile(r"^( {4}|\t)")
_TRAILING_SPACE = re.compile(r" +((?:\x1b\[[0-9;]*m)*)$", re.MULTILINE)
_NOTICE_KINDS = frozenset({ReplyKind.WARNING, ReplyKind.ESCALATION})


def wants_colour(out: TextIO, environ: Mapping[str, str] | None = None) -> bool:
    """Colour only on a terminal, and never when ``NO_COLOR`` is set (https://no-color.org)."""
    env = os.environ if environ is None else environ
    isatty = getattr(out, "isatty", None)
    return bool(callable(isatty) and isatty()) and not env.get("NO_COLOR")


def terminal(out: TextIO, *, colour: bool, width: int | None = None) -> Console:
    """A rich console writing to ``out``; without colour it writes plain text (no escape codes at all)."""
    return Console(
        file=out,
        width=width,
        color_system="auto" if colour else None,
        force_terminal=colour or None,
        markup=False,
        highlight=False,
        emoji=False,
    )


def show(console: Console, reply: Reply, to: Address | None = None, first_choice: int = 1) -> None:
    """Print ``reply`` under the ``helpline>`` label, every line indented to the text's column."""
    grid = Table.grid()
    grid.add_column(no_wrap=True, style="bold cyan")
    grid.add_column()
    grid.add_row(LABEL, body(reply, to, first_choice))
    with console.capture() as captured:
        console.print(grid)
    # Table cells are padded to the full width; trailing spaces only get in the way of copying and piping.
    console.file.write(_TRAILING_SPACE.sub(r"\1", captured.get()))
    console.file.flush()


def body(reply: Reply, to: Address | None = None, first_choice: int = 1) -> RenderableType:
    """The reply's parts: whom a notice is for, the text, its source and its numbered choices."""
    parts: list[RenderableType] = []
    if to is not None:
        parts.append(Text(notice_header(to, reply.mentions), style="bold yellow"))
    if reply.kind is ReplyKind.ERROR:
        parts.append(Text("error: " + reply.text, style="bold red"))
    elif reply.kind is ReplyKind.ANSWER:
        parts.append(Markdown(hard_breaks(reply.text)))
    else:
        style = "yellow" if reply.kind in _NOTICE_KINDS else ""
        parts.append(Text(reply.text, style=style))
    if reply.citation is not None:
        parts.append(Text(f"source: {reply.citation.title} <{reply.citation.url}>", style="dim"))
    if typed_scale(reply.choices):
        parts.append(Text(f"type {reply.choices[0].score}–{reply.choices[-1].score}", style="bold green"))
    elif reply.choices:
        choices = Text()
        for n, choice in enumerate(reply.choices, first_choice):
            if n > first_choice:
                choices.append("   ")
            choices.append(f"[{n}]", style="bold green")
            choices.append(f" {choice.label}")
        parts.append(choices)
    return Group(*parts)


def hard_breaks(text: str) -> str:
    """Keep the reply's own line breaks inside paragraphs (Markdown would join the lines of a paragraph)."""
    lines = text.split("\n")
    kept, fenced = [], False
    for line, following in zip(lines, [*lines[1:], ""], strict=True):
        if _FENCE.match(line):
            fenced = not fenced
        # Inside a code block a backslash is shown as it is, and the block keeps its lines anyway.
        code = fenced or _FENCE.match(line) or _INDENTED.match(line) or _INDENTED.match(following)
        plain = not _BLOCK_LINE.match(line) and not _BLOCK_LINE.match(following)
        kept.append(line + "\\" if line.strip() and following.strip() and plain and not code else line)
    return "\n".join(kept)


def notice_header(to: Address, mentions: tuple[Mention, ...]) -> str:
    """``Notice for the Slack channel C123, notifying the emea group:`` in words rather than addresses."""
    header = f"Notice for {place(to)}"
    if mentions:
        header += ", notifying " + _joined([person(m) for m in mentions])
    return header + ":"


def place(address: Address) -> str:
    """Where a message goes, in words: ``the console``, ``the Slack channel C123``."""
    if address.platform == "console":  # the console's only channel is a customer's conversation
        return "the customer's conversation" if address.channel else "the console"
    platform = _PLATFORMS.get(address.platform, address.platform)
    if not address.channel:
        return platform
    where = f"the {platform} channel {address.channel}"
    return f"{where} (thread {address.thread})" if address.thread else where


def person(mention: Mention) -> str:
    """Whom a mention notifies, in words: ``the emea group``, ``Slack user U0MO``."""
    if mention.platform == "console":
        return f"the {mention.id} group" if mention.kind == "group" else f"user {mention.id}"
    platform = _PLATFORMS.get(mention.platform, mention.platform)
    return f"the {platform} group {mention.id}" if mention.kind == "group" else f"{platform} user {mention.id}"


def _joined(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
