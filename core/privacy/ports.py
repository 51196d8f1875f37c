"""The port of everything held about a person: read it all out, or erase it and keep the numbers."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from datetime import datetime

    from core.privacy.records import PrivacyAudit


class PrivacyAuditLog(Protocol):
    """The audit of exports and erasures, and the erasures people asked for (``/helpline forget me``)."""

    async def record(self, audit: PrivacyAudit) -> None:
        """Keep one audit entry."""
        ...

    async def audits(self, subject: str) -> list[PrivacyAudit]:
        """The audit entries about ``subject`` (a digest from ``subject_of``), oldest first."""
        ...

    async def pending(self) -> list[PrivacyAudit]:
        """The erasures asked for and not yet carried out, oldest first (their ``actor`` is who asked)."""
        ...


class PersonalData(PrivacyAuditLog, Protocol):
    """Finds, exports and erases the rows about a set of identities (one person's linked identities)."""

    async def export(self, identities: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
        """Every row about ``identities``, by kind (tickets, messages, surveys, votes, ...), JSON-ready."""
        ...

    async def forget(self, identities: Sequence[str]) -> dict[str, int]:
        """Erase what identifies them; keep anonymised metrics rows. Counts of rows erased or anonymised by kind."""
        ...

    async def expire(self, tier: str | None, before: datetime) -> dict[str, int]:
        """Delete ``tier``'s conversation text older than ``before`` (``None``: messages of no ticket); counts."""
        ...

    async def compact(self) -> None:
        """Rewrite the database files so erased rows are not left in free pages."""
        ...
