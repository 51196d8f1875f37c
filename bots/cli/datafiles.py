"""Reading evaluation files: labelled messages, queries and relevance judgements."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from core.errors import DataError


def _json_lines(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield ``(line number, object)`` for each non-blank line; a bad line is an error naming it."""
    try:
        with path.open(encoding="utf-8") as fh:
            for number, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise DataError(f"{path}, line {number}: invalid JSON ({exc.msg})") from None
                if not isinstance(row, dict):
                    raise DataError(f"{path}, line {number}: expected a JSON object")
                yield number, row
    except FileNotFoundError:
        raise DataError(f"{path}: file not found") from None
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not valid UTF-8 (byte offset {exc.start})") from None


def _field(path: Path, number: int, row: dict[str, Any], name: str) -> str:
    value = row.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise DataError(f"{path}, line {number}: missing {name!r}")
    return str(value)


def _csv_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = {"text", "label"} - set(reader.fieldnames or [])
            if missing:
                raise DataError(f"{path}: CSV needs the columns text,label (missing: {', '.join(sorted(missing))})")
            for row in reader:
                yield reader.line_num, row
    except FileNotFoundError:
        raise DataError(f"{path}: file not found") from None
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not valid UTF-8 (byte offset {exc.start})") from None


def load_labelled(path: Path) -> list[tuple[str, str]]:
    """``(text, label)`` rows from a CSV (``text,label``) or JSON-lines (``{"text","label"}``) file."""
    rows = _csv_rows(path) if path.suffix.lower() == ".csv" else _json_lines(path)
    pairs = [(_field(path, n, row, "text"), _field(path, n, row, "label")) for n, row in rows]
    if not pairs:
        raise DataError(f"{path}: no labelled rows")
    return pairs


def load_queries(path: Path) -> dict[str, str]:
    """Query id to text, from JSON lines ``{"id","text"}``."""
    queries = {_field(path, n, row, "id"): _field(path, n, row, "text") for n, row in _json_lines(path)}
    if not queries:
        raise DataError(f"{path}: no queries")
    return queries


def load_qrels(path: Path) -> dict[str, set[str]]:
    """Query id to relevant document ids, from JSON lines ``{"query_id","doc_id"}`` (score 0 means not relevant)."""
    relevant: dict[str, set[str]] = {}
    for number, row in _json_lines(path):
        query_id = _field(path, number, row, "query_id")
        doc_id = _field(path, number, row, "doc_id")
        if float(row.get("score", 1)) > 0:
            relevant.setdefault(query_id, set()).add(doc_id)
    if not relevant:
        raise DataError(f"{path}: no relevance judgements")
    return relevant


def load_section_qrels(path: Path) -> dict[str, set[tuple[str, str]]]:
    """Query id to the ``(doc_id, section)`` pairs that answer it, from judgements that have a ``"section"``.

    Judgements without one are left to ``load_qrels``; the result is empty when no line names a section.
    """
    expected: dict[str, set[tuple[str, str]]] = {}
    for number, row in _json_lines(path):
        if row.get("section") is None or float(row.get("score", 1)) <= 0:
            continue
        pair = (_field(path, number, row, "doc_id"), _field(path, number, row, "section"))
        expected.setdefault(_field(path, number, row, "query_id"), set()).add(pair)
    return expected
