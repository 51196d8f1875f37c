"""The incidents' tunable choices (``incidents:`` in helpline.yaml, read by ``config.incidents_config``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

# Cosine similarity from which two critical tickets (or a ticket and an incident) count as the same problem.
SIMILAR_SCORE = 0.6


@dataclass(frozen=True)
class IncidentPolicy:
    """When incidents remind, resolve their tickets, are proposed, and who hears of enterprise tickets."""

    # Resolving an incident resolves its linked tickets too (otherwise they are told and stay open).
    resolve_tickets: bool = False
    # A critical incident re-sends its latest status to its customers this often until resolved.
    reminder_interval: timedelta = timedelta(hours=1)
    # This many critical tickets alike in meaning within ``window`` make the staff channel asked to open one.
    propose_after: int = 3
    window: timedelta = timedelta(minutes=10)
    similar_score: float = SIMILAR_SCORE
    # The tiers whose accounts' CSM (else the staff channel) is told when one of their tickets joins an incident.
    notify_tiers: frozenset[str] = field(default_factory=lambda: frozenset({"enterprise"}))
    # Where proposals and account notices without a CSM go; None: the ticket's tier's team channel.
    staff_channel: str | None = None
