"""Durations as the reports count them: nearest-rank percentiles, and wall or business-hours seconds."""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from core.sla.deadlines import Calendar

# The first-response histogram's upper bounds, inclusive, in seconds: 5 min, 15 min, 1 h, 4 h, 24 h, then the rest.
FIRST_RESPONSE_BINS = (300.0, 900.0, 3600.0, 14400.0, 86400.0)


def nearest_rank(ordered: Sequence[float], percent: float) -> float | None:
    """The value at rank ceil(percent/100 · n) of already sorted values (1-based); None for no values."""
    if not ordered:
        return None
    rank = max(1, math.ceil(percent / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def seconds_between(start: datetime, stop: datetime, calendar: Calendar) -> float:
    """The seconds from ``start`` to ``stop`` that ``calendar`` counts (every second for the wall clock)."""
    return calendar.elapsed(start, stop).total_seconds()


@dataclass(frozen=True)
class Bin:
    """One bar of a histogram: how many durations are above the previous bound and at most ``le_seconds``."""

    le_seconds: float | None  # None: no upper bound (the last bin)
    count: int


def histogram(ordered: Sequence[float], bounds: Sequence[float]) -> tuple[Bin, ...]:
    """Counts per bin of sorted ``bounds`` (each inclusive), and a last bin for everything longer."""
    counts = [0] * (len(bounds) + 1)
    for value in ordered:
        counts[bisect_left(bounds, value)] += 1
    return tuple(Bin(le, n) for le, n in zip([*bounds, None], counts, strict=True))


@dataclass(frozen=True)
class Timing:
    """A set of measured durations: how many, how many still running, their mean and percentiles (seconds)."""

    count: int
    pending: int
    mean_seconds: float | None
    p50_seconds: float | None
    p90_seconds: float | None
    p99_seconds: float | None
    histogram: tuple[Bin, ...] | None = None  # only where the document has one (first response)

    def as_dict(self) -> dict[str, Any]:
        """The TIMING object of the JSON document, with its ``histogram`` if it has one."""
        data: dict[str, Any] = {
            "count": self.count,
            "pending": self.pending,
            "mean_seconds": self.mean_seconds,
            "p50_seconds": self.p50_seconds,
            "p90_seconds": self.p90_seconds,
            "p99_seconds": self.p99_seconds,
        }
        if self.histogram is not None:
            data["histogram"] = [{"le_seconds": b.le_seconds, "count": b.count} for b in self.histogram]
        return data


def timing(values: Iterable[float], pending: int = 0, *, bins: Sequence[float] | None = None) -> Timing:
    """Summarise measured durations (with their histogram over ``bins``); figures are None when nothing was measured."""
    ordered = sorted(values)
    mean = math.fsum(ordered) / len(ordered) if ordered else None
    return Timing(
        len(ordered),
        pending,
        mean,
        nearest_rank(ordered, 50),
        nearest_rank(ordered, 90),
        nearest_rank(ordered, 99),
        histogram(ordered, bins) if bins is not None else None,
    )


def share(part: int, whole: int) -> float | None:
    """``part / whole`` as a fraction, or None when there is nothing to divide by (never a made-up 0)."""
    return part / whole if whole else None
