"""The ``incidents:`` settings: reminders of critical incidents, resolving linked tickets, and proposals."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from config.durations import checked_duration
from core.incidents.policy import SIMILAR_SCORE, IncidentPolicy
from core.messages import Address
from core.sla.deadlines import parse_duration


class IncidentSettings(BaseModel):
    """``incidents:`` in helpline.yaml."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # Resolving an incident resolves its linked tickets too.
    resolve_tickets: bool = False
    # How often a critical incident re-sends its latest status until resolved.
    reminder_interval: str = "1h"
    # This many critical tickets alike in meaning within ``window`` make Helpline propose an incident.
    propose_after: int = Field(3, ge=2, le=100)
    window: str = "10m"
    # Cosine similarity from which tickets count as the same problem (the desk's embedder).
    similar_score: float = Field(SIMILAR_SCORE, ge=-1, le=1)
    # Tiers whose accounts' CSM (else the staff channel) hears when one of their tickets joins an incident.
    notify_tiers: tuple[str, ...] = ("enterprise",)
    # Where proposals and account notices without a CSM go, e.g. slack:C0STAFF; empty: the tier's team channel.
    staff_channel: str = ""

    @field_validator("reminder_interval", "window")
    @classmethod
    def _duration(cls, value: str) -> str:
        return checked_duration(value)

    @field_validator("staff_channel")
    @classmethod
    def _address(cls, value: str) -> str:
        if value:
            Address.parse(value)
        return value

    def policy(self) -> IncidentPolicy:
        """The settings as the core's policy."""
        return IncidentPolicy(
            resolve_tickets=self.resolve_tickets,
            reminder_interval=parse_duration(self.reminder_interval),
            propose_after=self.propose_after,
            window=parse_duration(self.window),
            similar_score=self.similar_score,
            notify_tiers=frozenset(self.notify_tiers),
            staff_channel=self.staff_channel or None,
        )
