"""In-memory fakes of the SLA timers and the outbox, with the SQL store's semantics, over a shared ``MemoryState``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from core.sla.records import DueWork, OutboxItem, TimerRecord
from core.store import rows
from core.store.outbox_json import reply_json
from tests.store_state import MemoryPort

if TYPE_CHECKING:
    from core.messages import Outbound
    from core.sla.ports import SlaPlanner
    from core.tickets.records import TicketChange, TicketEvent


class InMemorySlaTimers(MemoryPort):
    """The ``SlaTimers`` port in memory; its planner is the one every fake of the state plans with."""

    def use_planner(self, planner: SlaPlanner) -> None:
        """Plan tickets with ``planner`` from now on."""
        self.state.planner = planner

    async def replan(self, numbers: Sequence[int] | None, now: datetime, fingerprint: str | None = None) -> int:
        """Plan these tickets again (every active one when None) and remember ``fingerprint``; returns how many."""
        tickets = self.state.tickets
        chosen = list(numbers) if numbers is not None else [n for n, t in tickets.items() if t.status.active]
        for number in chosen:
            self.state.replan(number, now)
        if fingerprint is not None:
            self.state.fingerprint = fingerprint
        return len(chosen)

    async def sla_fingerprint(self) -> str | None:
        """The planner fingerprint the active tickets were last planned with."""
        return self.state.fingerprint

    async def claim_due(self, now: datetime, limit: int, owner: str, lease: timedelta) -> list[DueWork]:
        """Lease up to ``limit`` unfired actions due at ``now``, earliest first, to ``owner`` for ``lease``."""
        free = [
            t
            for t in map(self.state.timers.__getitem__, self.state.unfired)
            if t.fired_at is None and t.due <= now and (t.lease_until is None or t.lease_until <= now)
        ]
        found = sorted(free, key=lambda t: (t.due, t.id))[:limit]
        for timer in found:
            timer.lease_owner, timer.lease_until = owner, now + lease
        return [DueWork(t.id, t.ticket, *t.key, t.due, now + lease) for t in found]

    async def complete_due(
        self,
        work: DueWork,
        owner: str,
        now: datetime,
        notices: Sequence[Outbound] = (),
        event: TicketEvent | None = None,
        change: TicketChange | None = None,
    ) -> bool:
        """Mark ``work`` fired and queue ``notices`` in the outbox (with ``event`` and ``change``), together."""
        state = self.state
        timer = state.timers.get(work.id)
        if timer is None or timer.fired_at is not None or timer.lease_owner != owner or timer.due > now:
            return False
        timer.fired_at, timer.lease_owner, timer.lease_until = now, None, None
        state.unfired.discard(timer.id)
        for notice in notices:
            state.enqueue(work.ticket, work.id, notice)
        if change is not None:
            fields = rows.change_fields(change)
            state.tickets[work.ticket] = replace(state.tickets[work.ticket], **fields, updated_at=now)  # type: ignore[arg-type]
        if event is not None:
            state.events.append(event)
        state.replan(work.ticket, now)
        return True

    async def timers(self, number: int) -> list[TimerRecord]:
        """A ticket's planned and fired SLA actions, by due time."""
        mine = sorted(self.state.timers_of(number), key=lambda t: (t.due, t.id))
        return [TimerRecord(*t.key, t.due, t.fired_at) for t in mine]


class InMemoryOutbox(MemoryPort):
    """The ``Outbox`` port in memory."""

    async def claim_outbox(self, now: datetime, limit: int, owner: str, lease: timedelta) -> list[OutboxItem]:
        """Lease up to ``limit`` unsent notifications (oldest first) whose lease or retry time has passed."""
        ready = [
            q
            for q in map(self.state.queued.__getitem__, self.state.unsent)
            if q.sent_at is None and (q.lease_until is None or q.lease_until <= now)
        ]
        found = sorted(ready, key=lambda q: q.id)[:limit]
        for item in found:
            item.lease_until = now + lease
        return [OutboxItem(q.id, q.ticket, q.outbound, q.attempts) for q in found]

    async def outbox_sent(self, item: int, now: datetime) -> None:
        """Mark a notification delivered."""
        queued = self.state.queued.get(item)
        if queued is not None and queued.sent_at is None:
            queued.sent_at, queued.lease_until = now, None
            self.state.unsent.discard(item)

    async def outbox_failed(self, item: int, now: datetime, reason: str, retry_at: datetime) -> None:
        """Record a failed delivery (and an event on its ticket); it is tried again from ``retry_at``."""
        queued = self.state.queued.get(item)
        if queued is None or queued.sent_at is not None:
            return
        queued.attempts, queued.lease_until = queued.attempts + 1, retry_at
        if queued.ticket is not None:
            payload = reply_json(queued.outbound.reply)
            self.state.events.append(rows.failed_notice_event(queued.ticket, now, payload, reason))

    async def outbox(self, number: int | None = None) -> list[OutboxItem]:
        """Every notification queued for a ticket (all when None), oldest first, sent or not."""
        queued = sorted(self.state.queued.values(), key=lambda q: q.id)
        found = [q for q in queued if number is None or q.ticket == number]
        return [OutboxItem(q.id, q.ticket, q.outbound, q.attempts, q.sent_at) for q in found]
