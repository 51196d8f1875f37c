"""Originals kept sealed: what a customer typed before redaction, for a lead who has to see it, audited.

Off by default: the redacted text is all Helpline keeps. With ``privacy.keep_originals`` and a key in
``HELPLINE_ORIGINALS_KEY``, the desk's door seals the text it redacted (``core/privacy/sealing.py``) and keeps it
beside the conversation, by thread and platform message id, for ``privacy.originals_for`` (30 days by default).
``helpline privacy original TICKET`` opens a ticket's originals for a lead, and every opening is audited under
the requester's digest. Erasure deletes a person's originals with the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from core.privacy.records import PrivacyAudit, subject_of

if TYPE_CHECKING:
    from collections.abc import Sequence

    from core.messages import Address
    from core.privacy.ports import PrivacyAuditLog
    from core.privacy.sealing import Sealer

ORIGINALS_FOR = timedelta(days=30)
OPENED = "original"  # the audit action of a lead opening originals


@dataclass(frozen=True)
class Original:
    """One redacted message's sealed original: where and when it was written, by whom, and what was removed."""

    address: Address
    message_id: str
    author: str  # platform:id
    at: datetime
    kinds: tuple[str, ...]
    sealed: bytes


class Originals(Protocol):
    """The sealed originals' store."""

    async def keep(self, original: Original) -> None:
        """Keep one sealed original."""
        ...

    async def in_threads(self, places: Sequence[Address]) -> list[Original]:
        """The originals written in any of ``places`` (threads), oldest first."""
        ...

    async def expire(self, before: datetime) -> int:
        """Delete the originals written before ``before``; how many."""
        ...


@dataclass(frozen=True)
class Opened:
    """An original opened for a lead: where it stands and the text as typed."""

    original: Original
    text: str


class OriginalsKeeper:
    """Seals and keeps originals at the door; opens a thread's for a lead, with an audit entry."""

    def __init__(self, store: Originals, sealer: Sealer, keep_for: timedelta = ORIGINALS_FOR) -> None:
        self.store = store
        self.sealer = sealer
        self.keep_for = keep_for

    async def keep(self, address: Address, message_id: str, author: str, at: datetime, text: str,
                   kinds: Sequence[str]) -> None:  # fmt: skip
        """Seal ``text`` (as typed) and keep it with what was removed from it."""
        await self.store.keep(Original(address, message_id, author, at, tuple(kinds), self.sealer.seal(text)))

    async def open(self, places: Sequence[Address], requester: str, actor: str, audit: PrivacyAuditLog,
                   now: datetime) -> list[Opened]:  # fmt: skip
        """The originals of ``places`` opened; ``actor`` opening them is audited under ``requester``'s digest."""
        found = await self.store.in_threads(places)
        opened = [Opened(original, self.sealer.open(original.sealed)) for original in found]
        await audit.record(PrivacyAudit(now, actor, OPENED, subject_of(requester), {"originals": len(opened)}))
        return opened
