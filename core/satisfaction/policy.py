"""When satisfaction is asked, of whom, and for how long an answer may change."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class SatisfactionPolicy:
    """The ``satisfaction:`` settings as the core uses them."""

    csat: bool = True
    # Tiers and channels (``platform`` or ``platform:channel``) whose resolved tickets are never surveyed.
    csat_off_tiers: frozenset[str] = frozenset()
    csat_off_channels: frozenset[str] = frozenset()
    # A ticket resolved again this soon after its survey was sent is not asked about again.
    reopen_window: timedelta = timedelta(days=7)
    # A rating (and its comment) may be changed for this long after it was first given.
    change_window: timedelta = timedelta(days=7)
    # The requester's next message in the survey's thread this soon after rating is read as a comment.
    comment_window: timedelta = timedelta(minutes=5)
    # Where that next message counts (elsewhere a form or ``rate SCORE comment`` carries the comment).
    comment_platforms: frozenset[str] = frozenset({"console", "slack"})
    nps: bool = True
    nps_interval: timedelta = timedelta(days=90)
    nps_recent: timedelta = timedelta(days=30)  # asked only of people with a ticket resolved this recently
    # The paying tiers of the shipped tiers.yaml.
    nps_tiers: frozenset[str] = frozenset({"professional", "enterprise", "white-glove"})
    product_name: str = "our product"
    # Platforms that can open a direct message to a person; NPS goes there, else to the ticket's thread.
    direct_platforms: frozenset[str] = frozenset({"discord", "slack"})

    def csat_for(self, tier: str, platform: str, channel: str) -> bool:
        """True when a resolved ticket of ``tier`` at ``platform:channel`` gets a CSAT survey."""
        off = self.csat_off_channels
        where_off = platform in off or f"{platform}:{channel}" in off
        return self.csat and tier not in self.csat_off_tiers and not where_off
