"""The privacy audit and the sealed originals in memory, for the desk's tests."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from core.messages import Address
from core.privacy.originals import Original
from core.privacy.records import REQUESTED, PrivacyAudit


class InMemoryPrivacyAudit:
    """``PrivacyAuditLog`` in a list, in the order entries were kept."""

    def __init__(self) -> None:
        self.entries: list[PrivacyAudit] = []

    async def record(self, audit: PrivacyAudit) -> None:
        """Keep one audit entry."""
        self.entries.append(audit)

    async def audits(self, subject: str) -> list[PrivacyAudit]:
        """The entries about ``subject``, oldest first."""
        return [entry for entry in self.entries if entry.subject == subject]

    async def pending(self) -> list[PrivacyAudit]:
        """Requests with no erasure of their subject after them."""
        return [
            entry
            for index, entry in enumerate(self.entries)
            if entry.action == REQUESTED
            and not any(later.action == "forget" and later.subject == entry.subject for later in self.entries[index:])
        ]


class InMemoryOriginals:
    """``Originals`` in a list, oldest first."""

    def __init__(self) -> None:
        self.kept: list[Original] = []

    async def keep(self, original: Original) -> None:
        """Keep one sealed original."""
        self.kept.append(original)

    async def in_threads(self, places: Sequence[Address]) -> list[Original]:
        """The originals written in any of ``places``."""
        return sorted((o for o in self.kept if o.address in places), key=lambda o: o.at)

    async def expire(self, before: datetime) -> int:
        """Drop what was written before ``before``."""
        old = [o for o in self.kept if o.at < before]
        self.kept = [o for o in self.kept if o.at >= before]
        return len(old)
