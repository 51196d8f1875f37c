"""Durations as the reports count them: nearest-rank percentiles, and wall or business-hours seconds."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from core.sla.deadlines import Calendar


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
class Timing:
    """A set of measured durations: how many, how many still running, their mean and percentiles (seconds)."""

    count: int
    pending: int
    mean_seconds: float | None
    p50_seconds: float | None
    p90_seconds: float | None
    p99_seconds: float | None

    def as_dict(self) -> dict[str, Any]:
        """The TIMING object of the JSON document."""
        return {
            "count": self.count,
            "pending": self.pending,
            "mean_seconds": self.mean_seconds,
            "p50_seconds": self.p50_seconds,
            "p90_seconds": self.p90_seconds,
            "p99_seconds": self.p99_seconds,
        }


def timing(values: Iterable[float], pending: int = 0) -> Timing:
    """Summarise measured durations; every figure is None when nothing was measured."""
    ordered = sorted(values)
    mean = math.fsum(ordered) / len(ordered) if ordered else None
    return Timing(
        len(ordered),
        pending,
        mean,
        nearest_rank(ordered, 50),
        nearest_rank(ordered, 90),
        nearest_rank(ordered, 99),
    )


def share(part: int, whole: int) -> float | None:
    """``part / whole`` as a fraction, or None when there is nothing to divide by (never a made-up 0)."""
    return part / whole if whole else None
