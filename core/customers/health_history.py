"""The health score's history: one score per account per day, and the trend it shows.

The trend compares the latest score with the newest one at least ``TREND_DAYS`` days older: ``TREND_STEP`` points
or more up is improving, as many down is declining, anything between is stable. Without a score that old the
trend is None (not enough history yet).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

TREND_DAYS = 7
TREND_STEP = 5


@dataclass(frozen=True)
class HealthDay:
    """An account's score on one day (UTC), its category, the parts it had no data for, and when it was made."""

    account: str
    day: date
    score: int
    category: str
    missing: tuple[str, ...]
    computed_at: datetime


def trend(history: Sequence[HealthDay]) -> str | None:
    """``improving``, ``stable`` or ``declining`` from ``history`` (any order); None with too little of it."""
    days = sorted(history, key=lambda h: h.day)
    if not days:
        return None
    latest = days[-1]
    earlier = [h for h in days if h.day <= latest.day - timedelta(days=TREND_DAYS)]
    if not earlier:
        return None
    change = latest.score - earlier[-1].score
    if change >= TREND_STEP:
        return "improving"
    if change <= -TREND_STEP:
        return "declining"
    return "stable"
