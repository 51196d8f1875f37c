"""The ``analytics:`` section of the settings: recommendation thresholds and the self-service deflection window."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from config.durations import checked_duration
from core.analytics.policy import ReportPolicy
from core.sla.deadlines import parse_duration


class AnalyticsThresholds(BaseModel):
    """Below these a report recommends something: compliance and FCR as fractions, CSAT on its 1–5 scale."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    sla_compliance: float = Field(0.95, ge=0.0, le=1.0)
    fcr: float = Field(0.70, ge=0.0, le=1.0)
    csat: float = Field(4.0, ge=1.0, le=5.0)


class AnalyticsSettings(BaseModel):
    """Reports: thresholds, and how long after an answer a ticket in the same thread means it did not deflect."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    thresholds: AnalyticsThresholds = AnalyticsThresholds()
    deflection_window: str = "24h"

    @field_validator("deflection_window")
    @classmethod
    def _duration(cls, value: str) -> str:
        return checked_duration(value)

    def policy(self) -> ReportPolicy:
        """The report policy these settings describe."""
        t = self.thresholds
        return ReportPolicy(t.sla_compliance, t.fcr, t.csat, parse_duration(self.deflection_window))
