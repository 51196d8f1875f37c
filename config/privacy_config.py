"""The ``privacy:`` settings: which kinds of secrets and personal data are redacted, and a deployment's own."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from core.privacy.redaction import ALL_KINDS, Redactor, extra_rule


class PrivacySettings(BaseModel):
    """``privacy:`` in helpline.yaml."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # The built-in kinds removed from customers' text before it is kept (all of them by default; [] for none).
    redact: list[str] = Field(default_factory=lambda: sorted(ALL_KINDS))
    # A deployment's own kinds: name -> regular expression, e.g. ``employee-id: '\bEMP-\d{6}\b'``.
    patterns: dict[str, str] = Field(default_factory=dict)

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
