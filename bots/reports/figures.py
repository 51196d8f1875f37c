"""How the report's figures read: durations, shares, counts and dates in words, with "—" for what is missing.

Every renderer (terminal, HTML) formats the JSON document through these, so a figure reads the same everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

MISSING = "—"
NOTHING = "nothing to measure"
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
FILTERS = ("tier", "priority", "platform", "intent", "agent", "customer")

Doc = Mapping[str, Any]


def seconds(value: float | None) -> str:
    """A duration for a person: ``45s``, ``12m``, ``1h 05m``, ``3d 2h``; ``—`` when there is none."""
    if value is None:
        return MISSING
    total = round(float(value))
    if total < 60:
        return f"{total}s"
    minutes = total // 60
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h"
    return f"{hours}h {mins:02d}m" if hours else f"{mins}m"


def share(value: float | None) -> str:
    """A fraction 0–1 as a percentage with one decimal (``88.2%``); ``—`` when there is none."""
    if value is None:
        return MISSING
    text = f"{float(value) * 100:.1f}"
    return (text[:-2] if text.endswith(".0") else text) + "%"


def number(value: float | None, digits: int = 2) -> str:
    """A plain figure such as an average score (``3.8``); ``—`` when there is none."""
    if value is None:
        return MISSING
    return f"{float(value):.{digits}f}".rstrip("0").rstrip(".")


def rate(value: float | None, part: int, whole: int, noun: str) -> str:
    """``64.7% (88 of 136 tickets)``, or ``nothing to measure (0 tickets)``: a rate always with its count."""
    if value is None or whole == 0:
        return f"{NOTHING} (0 {noun})"
    return f"{share(value)} ({part} of {whole} {noun})"


def outcome(result: Mapping[str, Any]) -> str:
    """An SLA outcome: ``92% (138 of 150 met, 3 pending)``; with nothing judged yet, says so."""
    met, missed, pending = int(result["met"]), int(result["missed"]), int(result["pending"])
    waiting = f", {pending} pending" if pending else ""
    if result.get("compliance") is None or met + missed == 0:
        return f"{NOTHING} ({pending} pending)" if pending else NOTHING
    return f"{share(result['compliance'])} ({met} of {met + missed} met{waiting})"


def when(value: str | None, *, zone: bool = True) -> str:
    """An ISO-8601 time from the document as ``2026-11-28 14:00 UTC``; ``—`` when there is none."""
    if value is None:
        return MISSING
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%d %H:%M UTC" if zone else "%Y-%m-%d %H:%M")


def period(doc: Doc) -> str:
    """``2026-11-01 00:00 UTC – 2026-12-01 00:00 UTC`` (the end is not included)."""
    span = doc["period"]
    return f"{when(span['start'])} – {when(span['end'])}"


def filters(doc: Doc) -> str:
    """The filters the report is narrowed by, in words: ``tier enterprise, platform slack``; or ``none``."""
    given = [f"{key} {doc['filters'][key]}" for key in FILTERS if doc["filters"].get(key)]
    return ", ".join(given) if given else "none"


def clock(doc: Doc) -> str:
    """Which time the durations are counted in."""
    if doc["clock"] == "business":
        return "business hours (each tier's calendar, holidays excluded)"
    return "wall-clock time"


def self_service_note(doc: Doc) -> str | None:
    """Self-service is narrowed only by platform: say so when other filters are set."""
    narrowed = [key for key in FILTERS if key != "platform" and doc["filters"].get(key)]
    if not narrowed:
        return None
    return "Self-service counts every answer in the period: of the filters, only --platform narrows it."


def hour_of_week(index: int) -> str:
    """Index ``weekday·24 + hour`` (Monday 0) as ``Mon 10:00–11:00 UTC``."""
    day, hour = divmod(index, 24)
    return f"{WEEKDAYS[day]} {hour:02d}:00–{(hour + 1) % 24:02d}:00 UTC"


def busiest_hours(doc: Doc, top: int = 5) -> list[tuple[str, int]]:
    """The hours of the week with the most tickets opened, busiest first (ties: earliest in the week)."""
    counts = list(doc["volume"]["by_hour_of_week"])
    ranked = sorted((i for i, n in enumerate(counts) if n), key=lambda i: (-counts[i], i))
    return [(hour_of_week(i), int(counts[i])) for i in ranked[:top]]
