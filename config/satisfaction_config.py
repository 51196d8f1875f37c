"""The ``satisfaction:`` settings: when CSAT and NPS are asked, of whom, and how long answers may change."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator

from config.durations import checked_duration
from config.yaml_loader import refuse_unknown_tiers
from core.satisfaction.policy import SatisfactionPolicy
from core.sla.deadlines import parse_duration

_DURATIONS = ("reopen_window", "change_window", "comment_window", "nps_interval", "nps_recent")


class CsatSettings(BaseModel):
    """``satisfaction.csat``: the question after a resolved ticket."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = True
    # Tiers whose tickets are never surveyed, e.g. [community].
    off_tiers: tuple[str, ...] = ()
    # Platforms (slack) or channels (slack:C0123ABC, discord:help) where tickets are never surveyed.
    off_channels: tuple[str, ...] = ()


class NpsSettings(BaseModel):
    """``satisfaction.nps``: now and then, how likely people are to recommend the product."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = True
    # The tiers asked (by default the paying ones of the shipped tiers.yaml).
    tiers: tuple[str, ...] = Field(("professional", "enterprise", "white-glove"), min_length=1)


class SatisfactionSettings(BaseModel):
    """``satisfaction:`` in helpline.yaml."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    product_name: str = Field("our product", min_length=1, max_length=80)
    csat: CsatSettings = CsatSettings()
    nps: NpsSettings = NpsSettings()
    # Resolved again this soon after its survey went out, a ticket is not asked about again.
    reopen_window: str = "7d"
    # A rating (and its comment) may be changed this long after it was given.
    change_window: str = "7d"
    # On the console and Slack, the rater's next remark in the thread this soon after rating is the comment.
    comment_window: str = "5m"
    # NPS is asked at most once per person per nps_interval, of people with a ticket resolved within nps_recent.
    nps_interval: str = "90d"
    nps_recent: str = "30d"

    @field_validator(*_DURATIONS)
    @classmethod
    def _duration(cls, value: str) -> str:
        return checked_duration(value)

    def tier_references(self) -> list[tuple[str, str]]:
        """The tier names given in the config (not the defaults), as ``(key, name)`` pairs to check."""
        given = [("csat.off_tiers", self.csat.off_tiers)] if "off_tiers" in self.csat.model_fields_set else []
        given += [("nps.tiers", self.nps.tiers)] if "tiers" in self.nps.model_fields_set else []
        return [(f"satisfaction.{key}[{n}]", name) for key, names in given for n, name in enumerate(names)]

    def policy(self) -> SatisfactionPolicy:
        """The settings as the core's policy."""
        return SatisfactionPolicy(
            csat=self.csat.enabled,
            csat_off_tiers=frozenset(self.csat.off_tiers),
            csat_off_channels=frozenset(self.csat.off_channels),
            reopen_window=parse_duration(self.reopen_window),
            change_window=parse_duration(self.change_window),
            comment_window=parse_duration(self.comment_window),
            nps=self.nps.enabled,
            nps_interval=parse_duration(self.nps_interval),
            nps_recent=parse_duration(self.nps_recent),
            nps_tiers=frozenset(self.nps.tiers),
            product_name=self.product_name,
        )


def check_tier_names(settings: SatisfactionSettings, tiers_file: Path, source: str) -> None:
    """Refuse a configured tier name that ``tiers_file`` does not define, naming ``source`` and the key.

    The tiers file is read only when the config names tiers; the defaults (the shipped paying tiers) are not
    checked, so a tiers file of one's own without them still loads.
    """
    refuse_unknown_tiers(settings.tier_references(), tiers_file, source)
