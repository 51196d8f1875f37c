"""Proactive outreach on the escalation worker's pass, and after the events that can trigger it.

Every pass releases the deferred customer messages whose business hours have come; at most once per
``OutreachPolicy.every`` it checks every account's triggers (after the day's health scores, which run earlier in
the same pass) and the escalated tickets of the escalation playbooks' tiers. An escalation the worker fires and
a usage report through ``POST /api/usage`` are checked at once. Each occurrence runs its playbook once across
workers and restarts: the store records it under a unique key and queues its notices in the outbox with it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from core.customers.health_figures import utc_day
from core.customers.health_pass import rescore
from core.customers.outreach import AccountFacts, Occurrence, OutreachPolicy, Playbook, Trigger, due, escalated
from core.customers.outreach_steps import OutreachRecord, OutreachStep, plan_steps, recipients
from core.sla.deadlines import WALL_CLOCK

if TYPE_CHECKING:
    from core.customers.records import Account
    from core.ports import Clock
    from core.stores import Stores
    from core.tickets.records import Escalation
    from core.tiers import TierDirectory

log = logging.getLogger("helpline.outreach")

HEALTH_HISTORY = timedelta(days=365)  # how far back a stretch below a health threshold is followed
USAGE_REPORTS = 200  # how many usage reports back a stretch at a usage limit is followed
ACTIVE_TICKETS = 10_000  # the active tickets looked through for escalations


class OutreachPass:
    """Finds the accounts' due playbooks and runs each occurrence once; also sends deferred messages when due."""

    def __init__(self, stores: Stores, tiers: TierDirectory, clock: Clock, policy: OutreachPolicy | None) -> None:
        self._stores, self._tiers, self._clock = stores, tiers, clock
        self.policy = policy if policy is not None else OutreachPolicy()  # None: no playbooks
        self._last: datetime | None = None

    async def run_once(self) -> int:
        """Release due deferred messages, and check the triggers if ``every`` has passed; how many actions kept."""
        now = self._clock.now()
        kept = len(await self._stores.outreach.release(now))
        if self._last is not None and now < self._last + self.policy.every:
            return kept
        self._last = now
        for account in await self._stores.customers.accounts():
            try:
                kept += len(await self.check(account, now))
            except Exception:  # one account's broken records must not keep the others' outreach back
                log.exception("outreach for account %s failed; trying again on the next check", account.id)
        kept += await self._escalations(now)
        return kept

    async def check(self, account: Account, now: datetime) -> list[OutreachRecord]:
        """Run the account's due playbooks (each occurrence once); the records kept."""
        playbooks = [p for p in self.policy.playbooks if p.trigger is not Trigger.ESCALATION]
        if not playbooks:
            return []
        today = utc_day(now)
        facts = AccountFacts(
            account,
            today,
            await self._stores.health.history(account.id, today - HEALTH_HISTORY),
            await self._stores.customers.usage(account.id, limit=USAGE_REPORTS),
        )
        done = await self._stores.outreach.occurred(account.id)
        kept: list[OutreachRecord] = []
        for playbook in playbooks:
            occurrence = due(playbook, facts)
            if occurrence is not None and (playbook.name, occurrence.key) not in done:
                kept += await self._run(playbook, occurrence, account, now)
        return kept

    async def after_usage(self, account_id: str) -> list[OutreachRecord]:
        """A usage report came in: score the account again (today's score replaced) and check its triggers."""
        account = await self._stores.customers.get(account_id)
        if account is None:
            return []
        await rescore(self._stores, account, self._clock)
        return await self.check(account, self._clock.now())

    async def escalations(self, fired: Sequence[Escalation]) -> int:
        """The worker fired these escalation levels: run the escalation playbooks of their accounts' tickets."""
        kept = 0
        for number in sorted({e.ticket for e in fired}):
            ticket = await self._stores.tickets.get(number)
            if ticket is not None:
                kept += await self._escalated(ticket.customer, number, ticket.subject, self._clock.now())
        return kept

    async def _escalations(self, now: datetime) -> int:
        # Escalations the worker's hook did not see (a moderator's, one fired before a restart) are found here.
        tiers = {t for p in self.policy.playbooks if p.trigger is Trigger.ESCALATION for t in p.tiers}
        if not tiers:
            return 0
        kept = 0
        for ticket in await self._stores.tickets.list_tickets(active_only=True, limit=ACTIVE_TICKETS):
            if ticket.tier in tiers and await self._stores.escalations.escalations(ticket.number):
                kept += await self._escalated(ticket.customer, ticket.number, ticket.subject, now)
        return kept

    async def _escalated(self, account_id: str, number: int, subject: str, now: datetime) -> int:
        account = await self._stores.customers.get(account_id)
        if account is None:
            return 0
        done = await self._stores.outreach.occurred(account.id)
        kept = 0
        for playbook in self.policy.playbooks:
            occurrence = escalated(playbook, account, number, subject)
            if occurrence is not None and (playbook.name, occurrence.key) not in done:
                kept += len(await self._run(playbook, occurrence, account, now))
        return kept

    async def _run(
        self, playbook: Playbook, occurrence: Occurrence, account: Account, now: datetime
    ) -> list[OutreachRecord]:
        try:
            tier = self._tiers.get(account.tier)
            calendar, team = tier.sla.calendar, tier.team_channel
        except KeyError:  # a tier no longer configured: staff notices still go, customer messages at any time
            calendar, team = WALL_CLOCK, "console"
        to = recipients(account, self.policy, team, await self._stores.customers.people(account.id))
        opens = calendar.add(now, timedelta())
        limit = self.policy.messages

        def plan(recent: int) -> list[OutreachStep]:
            return plan_steps(playbook, occurrence, to, now=now, opens=opens, recent=recent, limit=limit)

        kept = await self._stores.outreach.occur(occurrence, now, now - self.policy.window, plan)
        if kept:
            log.info(
                "outreach %s for account %s (%s): %d action(s)", playbook.name, account.id, occurrence.key, len(kept)
            )
        return kept or []
