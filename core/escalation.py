"""Escalation: telling the right humans that a ticket missed (or is about to miss) its promise."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from datetime import datetime, timedelta

from core.messages import Action, Address, Choice, Outbound, Reply, ReplyKind
from core.ports import Clock, Notifier, TicketStore
from core.retention import DeliveryPruner
from core.sla import describe_duration
from core.sla_notices import fire
from core.sla_plan import ActionKind
from core.sla_service import TierPlanner
from core.store.sla_rows import DueWork
from core.tickets import Deadline, Escalation, Ticket
from core.tiers import Tier, TierDirectory
from core.wording import span

log = logging.getLogger("helpline.escalation")


def notice_text(ticket: Ticket, tier: Tier, deadline: Deadline, now: datetime, by: str | None = None) -> str:
    """What the escalation target reads."""
    head = f"Escalation: ticket #{ticket.number} ({tier.label}, {ticket.priority}) from {ticket.requester_name}"
    if deadline is Deadline.MANUAL:
        why = f"escalated by {by or 'a moderator'}"
    else:
        due = ticket.first_response_due if deadline is Deadline.FIRST_RESPONSE else ticket.resolution_due
        assert due is not None
        targets = tier.targets.first_response if deadline is Deadline.FIRST_RESPONSE else tier.targets.resolution
        target = targets.get(ticket.priority)
        words = "first-response" if deadline is Deadline.FIRST_RESPONSE else "resolution"
        promised = f" of {describe_duration(target)}" if target is not None else ""
        why = f"missed its {words} target{promised}: due {due:%Y-%m-%d %H:%M} UTC, overdue by {span(now - due)}"
    who = ticket.assignee or "nobody has claimed it"
    return f"{head} {why}. For {tier.escalation_contact}. Assignee: {who}. Subject: {ticket.subject}"


class Escalator:
    """Claims an escalation in the store, then delivers its notice; a failed delivery is released for a retry."""

    def __init__(self, store: TicketStore, tiers: TierDirectory, notifier: Notifier) -> None:
        self._store = store
        self._tiers = tiers
        self._notifier = notifier

    async def escalate(
        self, ticket: Ticket, deadline: Deadline, level: int, now: datetime, by: str | None = None
    ) -> Escalation | None:
        """Escalate once; None if this ticket, deadline and level was already escalated (or cannot be)."""
        tier = self._tiers.get(ticket.tier)
        if tier.escalation_target is None:
            return None
        escalation = Escalation(ticket.number, deadline, level, tier.escalation_target, now)
        if not await self._store.claim_escalation(escalation):
            return None
        reply = Reply(
            ReplyKind.ESCALATION,
            notice_text(ticket, tier, deadline, now, by),
            choices=(Choice(f"Claim #{ticket.number}", Action.CLAIM, ticket.number),),
            ticket=ticket.number,
            origin=ticket.address,
        )
        try:
            await self._notifier.send(Outbound(Address.parse(tier.escalation_target), reply))
        except Exception as exc:
            log.warning("escalation of ticket #%s to %s failed: %s", ticket.number, tier.escalation_target, exc)
            await self._store.release_escalation(escalation, str(exc) or type(exc).__name__)
            raise
        return escalation


class EscalationWorker:
    """Fires due SLA work (warnings, escalation levels, reminders, stale actions) once each, then sends the outbox.

    Due work is found through the store's index of timers and leased, so several workers can share it;
    each firing is written together with its notices, and the outbox is drained after the commit: a crash
    in between resends a notice at most once more and never loses one.
    """

    def __init__(
        self,
        store: TicketStore,
        tiers: TierDirectory,
        notifier: Notifier,
        clock: Clock,
        *,
        owner: str | None = None,
        batch: int = 200,
        lease: timedelta = timedelta(minutes=2),
        retry: timedelta = timedelta(seconds=30),
        pruner: DeliveryPruner | None = None,
    ) -> None:
        self._store = store
        self.pruner = pruner
        self._tiers = tiers
        self._notifier = notifier
        self._clock = clock
        self.planner = TierPlanner(tiers)
        store.use_planner(self.planner)
        self.owner = owner or f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"
        self._batch, self._lease, self._retry = batch, lease, retry
        self._planned = False
        self.last_pass: datetime | None = None
        self.last_error: str | None = None

    async def _ensure_planned(self, now: datetime) -> None:
        """Plan every active ticket again if the SLA configuration changed (or the database predates timers)."""
        if self._planned:
            return
        fingerprint = self.planner.fingerprint
        if await self._store.sla_fingerprint() != fingerprint:
            count = await self._store.replan(None, now, fingerprint)
            log.info("SLA configuration changed: planned %d active ticket(s) again", count)
        self._planned = True

    async def run_once(self) -> list[Escalation]:
        """One pass: fire what is due, then send the outbox; returns the escalation levels fired in it."""
        await self._ensure_planned(self._clock.now())
        sent: list[Escalation] = []
        while True:
            # A fresh time for every batch: a long pass must not hand out leases that have already run out.
            now = self._clock.now()
            due = await self._store.claim_due(now, self._batch, self.owner, self._lease)
            for work in due:
                if not self._holds(work.lease_until):
                    break  # the rest goes back to whoever claims it next; never worked on by two at once
                try:
                    escalation = await self._fire(work, now)
                except Exception:  # one broken ticket must not stop the others; its lease expires, it is retried
                    log.exception("SLA action %s of ticket #%s failed; it will be retried", work.key, work.ticket)
                    continue
                if escalation is not None:
                    sent.append(escalation)
            if len(due) < self._batch:
                break
        await self.drain(self._clock.now())
        await self._prune()
        self.last_pass, self.last_error = now, None
        return sent

    def _holds(self, lease_until: datetime) -> bool:
        """Whether a lease still has a safe margin (a quarter of its length) left on this host's clock."""
        return self._clock.now() < lease_until - self._lease / 4

    async def _prune(self) -> None:
        # Housekeeping: a failure is logged and tried again next pass, and never holds up escalations.
        if self.pruner is None:
            return
        try:
            await self.pruner.run_once()
        except Exception:
            log.exception("forgetting old delivery records failed; trying again on the next pass")

    async def _fire(self, work: DueWork, now: datetime) -> Escalation | None:
        ticket = await self._store.get(work.ticket)
        state = self.planner.state(ticket, await self._store.events(work.ticket), now) if ticket else None
        if ticket is None or state is None:  # an unknown tier: mark it done so it is not retried forever
            log.warning("ticket #%s has a tier that is no longer configured; SLA action dropped", work.ticket)
            await self._store.complete_due(work, self.owner, now)
            return None
        tier = self._tiers.get(ticket.tier)
        firing = fire(work, ticket, tier, state, self._tiers.on_call, now)
        if not await self._store.complete_due(work, self.owner, now, firing.notices, firing.event, firing.change):
            return None  # planned away meanwhile, or another worker took it after our lease ran out
        if work.action is not ActionKind.ESCALATION or not firing.notices:
            return None
        return Escalation(ticket.number, Deadline(work.clock), work.level, str(firing.notices[0].address), now)

    async def drain(self, now: datetime) -> int:
        """Send what the outbox holds; a failed send is recorded and retried after ``retry``. Returns how many sent.

        A notice is only sent while this worker's lease on it has a margin left: past the lease another
        worker may claim it, and both would send it.
        """
        sent = 0
        while True:
            items = await self._store.claim_outbox(now, self._batch, self.owner, self._lease)
            until = now + self._lease
            for item in items:
                if not self._holds(until):
                    break
                try:
                    await self._notifier.send(item.outbound)
                except Exception as exc:
                    reason = str(exc) or type(exc).__name__
                    log.warning("notice for ticket #%s to %s failed: %s", item.ticket, item.outbound.address, reason)
                    await self._store.outbox_failed(item.id, self._clock.now(), reason, self._clock.now() + self._retry)
                    continue
                await self._store.outbox_sent(item.id, self._clock.now())
                sent += 1
            if len(items) < self._batch:
                return sent
            now = self._clock.now()

    async def run_forever(self, interval: float, stop: asyncio.Event) -> None:
        """Run a pass every ``interval`` seconds until ``stop`` is set; a failing pass is logged and retried."""
        while not stop.is_set():
            try:
                await self.run_once()
            except Exception as exc:
                self.last_error = str(exc) or type(exc).__name__
                log.exception("escalation pass failed; retrying in %.0f s", interval)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=interval)
