"""The ``privacy:`` settings: which kinds of secrets and personal data are redacted, and a deployment's own."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from config.durations import checked_duration
from config.yaml_loader import refuse_unknown_tiers
from core.errors import ConfigError
from core.privacy.originals import Originals, OriginalsKeeper
from core.privacy.redaction import ALL_KINDS, Redactor, extra_rule
from core.privacy.retention import RetentionPolicy
from core.privacy.sealing import KEY_VARIABLE, Sealer, SealError
from core.sla.deadlines import parse_duration


class PrivacySettings(BaseModel):
    """``privacy:`` in helpline.yaml."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # The built-in kinds removed from customers' text before it is kept (all of them by default; [] for none).
    redact: list[str] = Field(default_factory=lambda: sorted(ALL_KINDS))
    # A deployment's own kinds: name -> regular expression, e.g. ``employee-id: '\bEMP-\d{6}\b'``.
    patterns: dict[str, str] = Field(default_factory=dict)

    # How long conversation text is kept, per tier (``community: 90d``); a tier not named keeps it for ever.
    retention: dict[str, str] = Field(default_factory=dict)
    # The same for text outside any ticket (self-service answers); unset keeps it.
    retention_other: str | None = None

    # Keep each redacted message's original sealed with HELPLINE_ORIGINALS_KEY, for leads to open, audited.
    keep_originals: bool = False
    # How long a sealed original is kept before the worker deletes it.
    originals_for: str = "30d"

    @field_validator("originals_for")
    @classmethod
    def _originals_for(cls, value: str) -> str:
        return checked_duration(value)

    def originals_period(self) -> timedelta:
        """``originals_for`` as a period."""
        return parse_duration(self.originals_for)

    @field_validator("retention")
    @classmethod
    def _periods(cls, value: dict[str, str]) -> dict[str, str]:
        for period in value.values():
            checked_duration(period)
        return value

    @field_validator("retention_other")
    @classmethod
    def _other(cls, value: str | None) -> str | None:
        return None if value is None else checked_duration(value)

    def retention_policy(self) -> RetentionPolicy:
        """The retention settings as the worker's policy."""
        other = None if self.retention_other is None else parse_duration(self.retention_other)
        return RetentionPolicy({tier: parse_duration(period) for tier, period in self.retention.items()}, other)

    @field_validator("redact")
    @classmethod
    def _kinds(cls, value: list[str]) -> list[str]:
        unknown = sorted(set(value) - ALL_KINDS)
        if unknown:
            known = ", ".join(sorted(ALL_KINDS))
            raise ValueError(f"unknown kinds {', '.join(unknown)}; the built-in ones are {known}")
        return value

    @field_validator("patterns")
    @classmethod
    def _patterns(cls, value: dict[str, str]) -> dict[str, str]:
        for kind, pattern in value.items():
            extra_rule(kind, pattern)  # raises with the kind's name when the pattern cannot be used
        return value

    def redactor(self) -> Redactor:
        """The redactor these settings describe."""
        extra = [extra_rule(kind, pattern) for kind, pattern in self.patterns.items()]
        return Redactor.configured(self.redact, extra)


def check_retention_tiers(settings: PrivacySettings, tiers_file: Path, source: str) -> None:
    """Refuse a retention period for a tier that ``tiers_file`` does not define, naming ``source`` and the key."""
    refuse_unknown_tiers(((f"privacy.retention.{name}", name) for name in settings.retention), tiers_file, source)


def check_originals_key(settings: PrivacySettings, env: Mapping[str, str], source: str) -> None:
    """With ``privacy.keep_originals`` on, refuse to start without a usable key in the environment."""
    if not settings.keep_originals:
        return
    key = env.get(KEY_VARIABLE, "")
    if not key.strip():
        problem = f"is on, but {KEY_VARIABLE} is not set; 'helpline privacy new-key' prints a key to set it to"
        raise ConfigError(source, "privacy.keep_originals", problem)
    try:
        Sealer(key)
    except SealError as exc:
        raise ConfigError(source, "privacy.keep_originals", str(exc)) from None


def originals_keeper(
    settings: PrivacySettings, store: Originals, env: Mapping[str, str] = os.environ
) -> OriginalsKeeper | None:
    """The door's keeper of sealed originals when ``privacy.keep_originals`` is on (key checked at load)."""
    if not settings.keep_originals:
        return None
    return OriginalsKeeper(store, Sealer(env[KEY_VARIABLE]), settings.originals_period())
