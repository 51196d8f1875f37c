"""The report in the format asked for, and written to its file whole or not at all."""

from __future__ import annotations

import contextlib
import io
import json
import os
import tempfile
from collections.abc import Mapping, Sequence
from enum import StrEnum
from pathlib import Path

from bots.reports.figures import Doc
from core.errors import HelplineError


class ReportFormat(StrEnum):
    """The formats ``helpline report`` writes."""

    TEXT = "text"
    JSON = "json"
    CSV = "csv"
    HTML = "html"


def render(
    fmt: ReportFormat,
    doc: Doc,
    rows: Sequence[Mapping[str, object]] = (),
    columns: Sequence[str] = (),
    *,
    colour: bool = False,
    width: int | None = None,
) -> str:
    """The report ``doc`` (or, for CSV, its ticket ``rows`` under ``columns``) as text in ``fmt``."""
    if fmt is ReportFormat.JSON:
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
    if fmt is ReportFormat.CSV:
        from bots.reports.csv_out import csv_text

        return csv_text(rows, columns)
    if fmt is ReportFormat.HTML:
        from bots.reports.html import html_page

        return html_page(doc)
    from bots.reports.text import write_text

    buffer = io.StringIO()
    write_text(doc, buffer, colour=colour, width=width)
    return buffer.getvalue()


def check_writable(path: Path) -> None:
    """Refuse, before any work, an output file that cannot be written: a missing or read-only folder, a folder."""
    folder = path.parent
    if path.is_dir():
        raise HelplineError(f"cannot write the report to {path}: it is a folder")
    if not folder.is_dir():
        raise HelplineError(f"cannot write the report to {path}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise HelplineError(f"cannot write the report to {path}: the folder {folder} is not writable")
    if path.exists() and not os.access(path, os.W_OK):
        raise HelplineError(f"cannot write the report to {path}: the file is read-only")


def write_whole(path: Path, text: str) -> None:
    """Write ``text`` to a private temporary file beside ``path``, then rename it over ``path``.

    A reader never sees half a report, and a failure leaves any earlier file at ``path`` as it was. The file
    is readable by its owner only (0600): reports name customers and agents.
    """
    check_writable(path)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        Path(temporary).replace(path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            Path(temporary).unlink()
        raise HelplineError(f"cannot write the report to {path}: {exc.strerror or exc}") from None
