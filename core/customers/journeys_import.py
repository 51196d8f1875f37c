"""Journeys for imported people: each new identity on a platform with direct messages starts one.

``helpline customers import`` and ``PUT /api/customers/{id}`` call ``start_imported`` after saving an
account, with the identities the store knew before. A person gets the account's tier's journey, once ever,
as when they join: someone who already has one (under any of their identities) starts nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.customers.journeys import JourneyStart, progress_of
from core.messages import Address

if TYPE_CHECKING:
    from collections.abc import Collection, Sequence
    from datetime import datetime

    from core.customers.journeys import JourneySettings
    from core.customers.ports import CustomerAccounts, JourneyProgress
    from core.customers.records import Account, Person

# The platforms a step can reach someone on without a thread of theirs: their direct messages.
DM_PLATFORMS = ("slack", "discord")
IMPORT = "import"


async def start_imported(
    progress: JourneyProgress,
    journeys: JourneySettings | None,
    account: Account,
    people: Sequence[Person],
    known: Collection[str],
    now: datetime,
) -> int:
    """Start the journey of every person of ``account`` with a new direct-message identity; how many started.

    ``known`` are the identities the store had before the import; nothing starts without journeys configured
    or when the account's tier has none.
    """
    if journeys is None or account.tier not in journeys.journeys:
        return 0
    started = 0
    for person in people:
        new = [i for i in person.identities if i not in known and i.partition(":")[0] in DM_PLATFORMS]
        if not new or await progress.of_people(person.identities):
            continue
        platform, _, _ = new[0].partition(":")
        start = JourneyStart(new[0], Address(platform, ""), account.tier, now, IMPORT, person.name)
        started += await progress.start(progress_of(start))
    return started


async def known_identities(accounts: CustomerAccounts) -> set[str]:
    """Every identity the store knows now (read before an import, to tell its new identities)."""
    return {identity for person in await accounts.everyone() for identity in person.identities}


@dataclass(frozen=True)
class ImportJourneys:
    """What an import needs to start journeys: the progress store and the configured journeys."""

    progress: JourneyProgress
    journeys: JourneySettings | None

    async def after_import(
        self, accounts: CustomerAccounts, account_ids: Sequence[str], known: Collection[str], now: datetime
    ) -> int:
        """Start the journeys of the imported accounts' people with new identities; how many started."""
        started = 0
        for account_id in account_ids:
            account = await accounts.get(account_id)
            if account is not None:
                people = await accounts.people(account_id)
                started += await start_imported(self.progress, self.journeys, account, people, known, now)
        return started
