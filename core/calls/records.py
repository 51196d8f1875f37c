"""What a video call is: a booked slot on a ticket, and a tier's call policy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class CallPolicy:
    """A tier's video-call offer: ``per_month`` None means unlimited, 0 means no calls (``instead`` says what then)."""

    per_month: int | None
    length: timedelta = timedelta(minutes=30)
    instead: str = ""

    @property
    def offers_calls(self) -> bool:
        return self.per_month is None or self.per_month > 0


@dataclass(frozen=True)
class BookedCall:
    """A call booked for a customer on a ticket, from ``start`` (UTC) for ``length``."""

    call_id: int
    ticket_id: int
    customer_id: int
    start: datetime
    length: timedelta
    link: str

    @property
    def end(self) -> datetime:
        return self.start + self.length
