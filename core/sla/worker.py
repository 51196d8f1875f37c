"""The escalation worker: fires due SLA work once each across processes, then drains the outbox."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta

from core.ports import Clock, Notifier
from core.retention import DeliveryPruner
from core.satisfaction.nps import NpsRound
from core.sla.notices import fire
from core.sla.plan import ActionKind
from core.sla.planner import TierPlanner
from core.sla.records import DueWork
from core.stores import Stores
from core.tickets.records import Deadline, Escalation
from core.tiers import TierDirectory

log = logging.getLogger("helpline.escalation")


class EscalationWorker:
    """Fires due SLA work (warnings, escalation levels, reminders, stale actions) once each, then sends the outbox.

    Due work is found through the store's index of timers and leased, so several workers can share it;
    each firing is written together with its notices, and the outbox is drained after the commit: a crash
    in between resends a notice at most once more and never loses one.
    """

    def __init__(
        self,
        stores: Stores,
        tiers: TierDirectory,
        notifier: Notifier,
        clock: Clock,
        *,
        owner: str | None = None,
        batch: int = 200,
        lease: timedelta = timedelta(minutes=2),
        retry: timedelta = timedelta(seconds=30),
        pruner: DeliveryPruner | None = None,
        passes: Sequence[Callable[[], Awaitable[object]]] = (),
        nps: NpsRound | None = None,
        escalated: Callable[[Sequence[Escalation]], Awaitable[object]] | None = None,
    ) -> None:
        self._stores = stores
        # Told of the escalation levels a pass fired (proactive outreach's escalation playbooks), before the drain.
        self.escalated = escalated
        # Periodic work that queues its notices in the outbox (the weekly digest), run before each drain.
        self.passes = tuple(passes)
        self.pruner = pruner
        self.nps = nps
        self._tiers = tiers
        self._notifier = notifier
        self._clock = clock
        self.planner = TierPlanner(tiers)
        stores.timers.use_planner(self.planner)
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
        if await self._stores.timers.sla_fingerprint() != fingerprint:
            count = await self._stores.timers.replan(None, now, fingerprint)
            log.info("SLA configuration changed: planned %d active ticket(s) again", count)
        self._planned = True

    async def run_once(self) -> list[Escalation]:
        """One pass: fire what is due, then send the outbox; returns the escalation levels fired in it."""
        await self._ensure_planned(self._clock.now())
        sent: list[Escalation] = []
        while True:
            # A fresh time for every batch: a long pass must not hand out leases that have already run out.
            now = self._clock.now()
            due = await self._stores.timers.claim_due(now, self._batch, self.owner, self._lease)
            if not due:
                break
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
            # No early stop on a short batch: firing plans what comes next (the latest reminder after a pause),
            # and what is already due goes out in this pass, after what fell due before it.
        await self._tell(sent)
        await self._run_passes()
        await self._nps()  # queues its questions in the outbox, so the drain below sends them
        await self.drain(self._clock.now())
        await self._prune()
        self.last_pass, self.last_error = now, None
        return sent

    def _holds(self, lease_until: datetime) -> bool:
        """Whether a lease still has a safe margin (a quarter of its length) left on this host's clock."""
        return self._clock.now() < lease_until - self._lease / 4

    async def _tell(self, sent: Sequence[Escalation]) -> None:
        if self.escalated is None or not sent:
            return
        try:
            await self.escalated(sent)
        except Exception:  # the escalations went out; whoever listens catches up on its own pass
            log.exception("telling of %d escalation(s) failed", len(sent))

    async def _run_passes(self) -> None:
        for run in self.passes:
            try:
                await run()
            except Exception:  # like housekeeping: logged, tried again next pass, never holds up escalations
                log.exception("a periodic pass failed; trying again on the next pass")

    async def _nps(self) -> None:
        # Asking NPS never holds up escalations either; a failed round is tried again on the next pass.
        if self.nps is None:
            return
        try:
            await self.nps.run_once()
        except Exception:
            log.exception("the NPS round failed; trying again on the next pass")

    async def _prune(self) -> None:
        # Housekeeping: a failure is logged and tried again next pass, and never holds up escalations.
        if self.pruner is None:
            return
        try:
            await self.pruner.run_once()
        except Exception:
            log.exception("forgetting old delivery records failed; trying again on the next pass")

    async def _fire(self, work: DueWork, now: datetime) -> Escalation | None:
        ticket = await self._stores.tickets.get(work.ticket)
        state = self.planner.state(ticket, await self._stores.tickets.events(work.ticket), now) if ticket else None
        if ticket is None or state is None:  # an unknown tier: mark it done so it is not retried forever
            log.warning("ticket #%s has a tier that is no longer configured; SLA action dropped", work.ticket)
            await self._stores.timers.complete_due(work, self.owner, now)
            return None
        tier = self._tiers.get(ticket.tier)
        firing = fire(work, ticket, tier, state, self._tiers.on_call, now)
        if not await self._stores.timers.complete_due(
            work, self.owner, now, firing.notices, firing.event, firing.change
        ):
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
            items = await self._stores.outbox.claim_outbox(now, self._batch, self.owner, self._lease)
            until = now + self._lease
            for item in items:
                if not self._holds(until):
                    break
                try:
                    await self._notifier.send(item.outbound)
                except Exception as exc:
                    reason = str(exc) or type(exc).__name__
                    log.warning("notice for ticket #%s to %s failed: %s", item.ticket, item.outbound.address, reason)
                    await self._stores.outbox.outbox_failed(
                        item.id, self._clock.now(), reason, self._clock.now() + self._retry
                    )
                    continue
                await self._stores.outbox.outbox_sent(item.id, self._clock.now())
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
