"""What a video call is: a booked slot (on a ticket when there is one), and each tier's call policy."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from core.messages import Address


@dataclass(frozen=True)
class CallPolicy:
    """A tier's video-call offer: ``per_month`` None means unlimited, 0 means no calls (``instead`` says what then)."""

    per_month: int | None
    length: timedelta = timedelta(minutes=30)
    instead: str = ""

    @property
    def offers_calls(self) -> bool:
        return self.per_month is None or self.per_month > 0


# The specification's quotas: professional one call a month, enterprise and white-glove unlimited, community none.
DEFAULT_QUOTAS: Mapping[str, int | None] = {"community": 0, "professional": 1, "enterprise": None, "white-glove": None}


@dataclass(frozen=True)
class CallSettings:
    """``calls:``: each tier's policy (a tier not named has none), the reminder's lead and how far ahead to offer."""

    policies: Mapping[str, CallPolicy] = field(
        default_factory=lambda: {tier: CallPolicy(n) for tier, n in DEFAULT_QUOTAS.items()}
    )
    reminder: timedelta = timedelta(minutes=15)
    # The soonest a call can start after it is asked for.
    notice: timedelta = timedelta(hours=2)
    # The support calendar's name (a calendar of the tiers file); empty: the calendar of the first tier with calls.
    calendar: str = ""

    def policy(self, tier: str) -> CallPolicy:
        """The tier's policy; a tier the settings do not name offers no calls."""
        return self.policies.get(tier, CallPolicy(0))


@dataclass(frozen=True)
class NewCall:
    """A call to book: who (``person``, ``platform:id``), whose quota it counts in (``holder``: the account, or
    the person without one), where they are told (``address``), the ticket if any, and the meeting."""

    holder: str
    person: str
    address: Address
    ticket: int | None
    tier: str
    start: datetime
    length: timedelta
    link: str
    agent: str | None = None  # the ticket's assignee (``platform:id``) when it has one
    booked_at: datetime | None = None

    @property
    def end(self) -> datetime:
        return self.start + self.length


@dataclass(frozen=True)
class BookedCall(NewCall):
    """A booked call, with its number and when its reminder went (None: not yet)."""

    call_id: int = 0
    reminded_at: datetime | None = None
