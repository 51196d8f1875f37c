"""The daily health pass: on the escalation worker's pass, every account not yet scored today gets its score.

Scored once per account and UTC day across every worker: ``HealthHistory.add`` keeps the first score of the day
and refuses the others (a unique index in SQL). ``helpline customers health`` recomputes on demand and
replaces the day's score instead.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from core.customers.health_figures import account_health, health_day, utc_day

if TYPE_CHECKING:
    from core.customers.health import Health
    from core.customers.records import Account
    from core.ports import Clock
    from core.stores import Stores

log = logging.getLogger("helpline.health")


class HealthPass:
    """Scores the accounts that have no score for today yet; run on every pass of the escalation worker."""

    def __init__(self, stores: Stores, clock: Clock) -> None:
        self._stores, self._clock = stores, clock

    async def run_once(self) -> int:
        """Score today's unscored accounts; how many scores this worker kept."""
        now = self._clock.now()
        scored = await self._stores.health.scored_on(utc_day(now))
        kept = 0
        for account in await self._stores.customers.accounts():
            if account.id in scored:
                continue
            try:
                score = await account_health(self._stores, account, now)
                kept += await self._stores.health.add(health_day(account, score, now))
            except Exception:  # one account's broken records must not keep the others unscored
                log.exception("the health score of account %s failed; trying again on the next pass", account.id)
        if kept:
            log.info("health scores of %d account(s) kept for %s", kept, utc_day(now))
        return kept


async def rescore(stores: Stores, account: Account, clock: Clock) -> Health:
    """Compute the account's score now and keep it as today's, replacing one made earlier today."""
    now = clock.now()
    score = await account_health(stores, account, now)
    await stores.health.put(health_day(account, score, now))
    return score
