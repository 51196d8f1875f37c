"""Where a call takes place: a meeting-room provider behind a port, and the built-in one, Jitsi Meet."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

# Jitsi Meet's public service; a deployment with its own Jitsi server names that instead (``calls.jitsi_url``).
JITSI_MEET = "https://meet.jit.si"


class MeetingRooms(Protocol):
    """Gives each booked call a meeting link."""

    def room(self, start: datetime, topic: str) -> str:
        """A new meeting link for a call at ``start`` about ``topic``."""
        ...


@dataclass(frozen=True)
class JitsiRooms:
    """Jitsi Meet rooms: whoever has the link joins, so the room's name is unguessable (144 random bits)."""

    base_url: str = JITSI_MEET

    def room(self, start: datetime, topic: str) -> str:
        """A room named ``Helpline-`` and a random token, on ``base_url``."""
        return f"{self.base_url.rstrip('/')}/Helpline-{secrets.token_urlsafe(18)}"
