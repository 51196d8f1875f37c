"""Export and erasure of one person's data: their linked identities found first, every run audited.

The person is named by one identity (``console:pat``); every identity linked to it is included, since
linked identities share one history. The audit keeps a digest of the identity, not the identity.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from core.privacy.records import PrivacyAudit, checked_identity, subject_of

if TYPE_CHECKING:
    from core.customers.ports import CustomerLinks
    from core.ports import Clock
    from core.privacy.ports import PersonalData


class PrivacyOffice:
    """Runs ``privacy export`` and ``privacy forget`` on the stores."""

    def __init__(self, data: PersonalData, links: CustomerLinks, clock: Clock) -> None:
        self.data = data
        self.links = links
        self.clock = clock

    async def identities(self, identity: str) -> tuple[str, ...]:
        """``identity`` (checked) and every identity linked to it, the given one first."""
        mine = checked_identity(identity)
        person = await self.links.person_of(mine)
        linked = () if person is None else tuple(other for other in person.identities if other != mine)
        return (mine, *linked)

    async def export(self, identity: str, actor: str) -> dict[str, Any]:
        """Everything held about the person, as one JSON-ready document; the export is audited."""
        identities = await self.identities(identity)
        found = await self.data.export(identities)
        now = self.clock.now()
        counts = {kind: len(rows) for kind, rows in found.items() if rows}
        await self.data.record(PrivacyAudit(now, actor, "export", subject_of(identities[0]), counts))
        return {
            "identity": identities[0],
            "identities": list(identities),
            "exported_at": now.isoformat(),
            "data": found,
        }

    async def forget(self, identity: str, actor: str) -> dict[str, int]:
        """Erase the person (all linked identities), rewrite the database files, audit it; counts by kind."""
        identities = await self.identities(identity)
        counts = await self.data.forget(identities)
        await self.data.compact()
        audit = PrivacyAudit(self.clock.now(), actor, "forget", subject_of(identities[0]), counts)
        await self.data.record(audit)
        return counts
