"""The thresholds below which a report recommends something, and how long a self-service answer has to hold."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class ReportPolicy:
    """Recommendation thresholds (fractions 0–1, CSAT on its 1–5 scale) and the deflection window."""

    sla_compliance: float = 0.95
    fcr: float = 0.70
    csat: float = 4.0
    deflection_window: timedelta = timedelta(hours=24)
