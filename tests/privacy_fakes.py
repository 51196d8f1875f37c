"""The privacy audit in memory, for the desk's tests."""

from __future__ import annotations

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
