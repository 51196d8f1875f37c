"""The report as a terminal summary: a heading, rich tables and the recommendations; plain text when piped."""

from __future__ import annotations

import re
from typing import TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from bots.console.render import terminal, wants_colour
from bots.reports import figures as f
from bots.reports.figures import Doc
from bots.reports.summary import Section, advice, sections

_WIDTH = 100  # of a report written to a file or a pipe, where the terminal's width is unknown
_TRAILING_SPACE = re.compile(r" +((?:\x1b\[[0-9;]*m)*)$", re.MULTILINE)


def write_text(doc: Doc, out: TextIO, *, colour: bool | None = None, width: int | None = None) -> None:
    """Print the report to ``out``; colour only on a terminal without ``NO_COLOR`` unless ``colour`` says."""
    use_colour = wants_colour(out) if colour is None else colour
    console = terminal(out, colour=use_colour, width=width or (None if use_colour else _WIDTH))
    with console.capture() as captured:
        _heading(console, doc)
        for section in sections(doc):
            _section(console, section)
        _recommendations(console, doc)
    # Tables pad their titles to the full width; trailing spaces only get in the way of copying and diffing.
    out.write(_TRAILING_SPACE.sub(r"\1", captured.get()))
    out.flush()


def _heading(console: Console, doc: Doc) -> None:
    console.print(Text("Helpline report", style="bold"))
    console.print(f"Period:  {f.period(doc)} (the end not included)")
    console.print(f"Filters: {f.filters(doc)}")
    console.print(f"Times:   {f.clock(doc)}")


def _section(console: Console, section: Section) -> None:
    console.print()
    if not section.rows:
        console.print(Text(section.title, style="bold"))
        console.print(f"  {section.empty}")
        return
    table = Table(title=section.title, title_justify="left", title_style="bold", show_header=any(section.columns))
    for i, column in enumerate(section.columns):
        table.add_column(column, justify="left" if i == 0 else "right", overflow="fold")
    for row in section.rows:
        table.add_row(*row)
    console.print(table)
    if section.note:
        console.print(Text(section.note, style="dim"))


def _recommendations(console: Console, doc: Doc) -> None:
    console.print()
    console.print(Text("Recommendations", style="bold"))
    found = advice(doc)
    if not found:
        console.print("  Every figure with a threshold meets it (or has nothing to measure yet).")
    for item in found:
        console.print(Text(f"• {item.message}", style="yellow"))
        for action in item.actions:
            console.print(f"    - {action}")
