"""The ``calls:`` settings: each tier's video calls a month, how long a call lasts, when it is reminded."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from config.durations import checked_duration
from config.yaml_loader import refuse_unknown_tiers
from core.calls.meetings import JITSI_MEET
from core.calls.records import DEFAULT_QUOTAS, CallPolicy, CallSettings
from core.sla.deadlines import parse_duration


class CallsSettings(BaseModel):
    """``calls:`` in helpline.yaml."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # Calls a month per tier: a number, or null for unlimited. A tier not named has no calls.
    per_month: dict[str, int | None] = Field(default_factory=lambda: dict(DEFAULT_QUOTAS))
    # What a tier without calls is told it has instead, e.g. {community: "answers in the community forum"}.
    instead: dict[str, str] = Field(default_factory=dict)
    length: str = "30m"
    reminder: str = "15m"
    notice: str = "2h"  # the soonest a call can start after it is asked for
    # The support calendar calls are offered in (a calendar of the tiers file); empty: the first tier with calls'.
    calendar: str = ""
    # The Jitsi Meet server rooms are made on.
    jitsi_url: str = Field(JITSI_MEET, pattern=r"^https://[^\s/]+(/[^\s]*)?$")

    @field_validator("per_month")
    @classmethod
    def _quotas(cls, value: dict[str, int | None]) -> dict[str, int | None]:
        for tier, count in value.items():
            if count is not None and not 0 <= count <= 1000:
                raise ValueError(f"the calls a month of {tier!r} must be from 0 to 1000 or null, not {count}")
        return value

    @field_validator("length", "reminder", "notice")
    @classmethod
    def _duration(cls, value: str) -> str:
        return checked_duration(value)

    def policy(self) -> CallSettings:
        """The settings as the core's call settings."""
        length = parse_duration(self.length)
        tiers = set(self.per_month) | set(self.instead)
        policies = {t: CallPolicy(self.per_month.get(t, 0), length, self.instead.get(t, "")) for t in tiers}
        return CallSettings(policies, parse_duration(self.reminder), parse_duration(self.notice), self.calendar)


def check_call_tiers(settings: CallsSettings, tiers_file: Path, source: str) -> None:
    """Refuse a tier under ``calls.per_month`` or ``calls.instead`` that ``tiers_file`` does not define."""
    named = "per_month" in settings.model_fields_set
    references = [(f"calls.per_month.{t}", t) for t in settings.per_month] if named else []
    references += [(f"calls.instead.{t}", t) for t in settings.instead]
    refuse_unknown_tiers(references, tiers_file, source)
