"""The report as CSV: one row per ticket under a fixed header, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from enum import Enum
from typing import TextIO

# A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str | int | float:
    """One value as a CSV cell: text that a spreadsheet would run as a formula gets a leading ``'``.

    Numbers stay numbers (a negative count is no formula); ``None`` is an empty cell; times are ISO-8601.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value
    if isinstance(value, datetime):
        return value.isoformat()
    text = value.value if isinstance(value, Enum) else value
    text = str(text)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def write_csv(rows: Iterable[Mapping[str, object]], columns: Sequence[str], out: TextIO) -> int:
    """Write the header ``columns`` and one line per row to ``out``; returns how many rows were written.

    A row naming a column the header lacks is refused before anything is written for it, so no figure is
    silently dropped; a column a row lacks is an empty cell.
    """
    known = set(columns)
    writer = csv.writer(out)
    writer.writerow([cell(name) for name in columns])
    count = 0
    for row in rows:
        extra = sorted(set(row) - known)
        if extra:
            raise ValueError(f"ticket row {count + 1} has columns the header lacks: {', '.join(extra)}")
        writer.writerow([cell(row.get(name)) for name in columns])
        count += 1
    return count


def csv_text(rows: Iterable[Mapping[str, object]], columns: Sequence[str]) -> str:
    """The whole CSV document as text (lines end in CRLF, as RFC 4180 has it)."""
    buffer = io.StringIO()
    write_csv(rows, columns, buffer)
    return buffer.getvalue()
