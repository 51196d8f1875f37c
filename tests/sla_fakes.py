"""The in-memory store's SLA half: timers, leases and the outbox with the SQL store's semantics."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from core.sla.events import SLA_KINDS
from core.sla.plan import ActionKey, ActionKind
from core.sla.records import DueWork, OutboxItem, TimerRecord
from core.store import rows
from core.tickets.records import Deadline, Escalation, Ticket, TicketChange, TicketEvent

if TYPE_CHECKING:
    from core.messages import Outbound
    from core.sla.ports import SlaPlanner


@dataclass
class _Timer:
    id: int
    ticket: int
    key: ActionKey
    due: datetime
    fired_at: datetime | None = None
    lease_owner: str | None = None
    lease_until: datetime | None = None


@dataclass
class _Queued:
    id: int
    ticket: int | None
    timer: int | None
    outbound: Outbound
    attempts: int = 0
    sent_at: datetime | None = None
    lease_until: datetime | None = None


class InMemorySlaStore:
    """Timers and outbox for ``InMemoryTicketStore``, which provides ``_tickets`` and ``_events``."""

    _tickets: dict[int, Ticket]
    _events: list[TicketEvent]

    def _sla_init(self, planner: SlaPlanner | None) -> None:
        self._planner = planner
        self._timers: dict[int, _Timer] = {}
        self._queued: dict[int, _Queued] = {}
        self._fingerprint: str | None = None

    def use_planner(self, planner: SlaPlanner) -> None:
        """Plan tickets with ``planner`` from now on."""
        self._planner = planner

    def _replan(self, number: int, now: datetime, kind: str | None = None) -> None:
        if self._planner is None or number not in self._tickets or (kind is not None and kind not in SLA_KINDS):
            return
        ticket = self._tickets[number]
        events = sorted((e for e in self._events if e.ticket == number), key=lambda e: e.at)
        mine = [t for t in self._timers.values() if t.ticket == number]
        fired = {t.key for t in mine if t.fired_at is not None}
        result = self._planner.plan(ticket, events, fired, now)
        self._tickets[number] = replace(
            ticket,
            first_response_due=result.first_response_due,
            resolution_due=result.resolution_due,
            next_response_due=result.next_response_due,
        )
        wanted = {a.key: a for a in result.actions if a.key not in fired}
        for timer in mine:
            if timer.fired_at is None and timer.key not in wanted:
                del self._timers[timer.id]
        pending = {t.key: t for t in mine if t.fired_at is None and t.key in wanted}
        for key, action in wanted.items():
            if key in pending:
                pending[key].due = action.due
            else:
                number_ = max(self._timers, default=0) + 1
                self._timers[number_] = _Timer(number_, number, key, action.due.astimezone(UTC))

    async def replan(self, numbers: Sequence[int] | None, now: datetime, fingerprint: str | None = None) -> int:
        """Plan these tickets again (every active one when None) and remember ``fingerprint``; returns how many."""
        chosen = list(numbers) if numbers is not None else [n for n, t in self._tickets.items() if t.status.active]
        for number in chosen:
            self._replan(number, now)
        if fingerprint is not None:
            self._fingerprint = fingerprint
        return len(chosen)

    async def sla_fingerprint(self) -> str | None:
        """The planner fingerprint the active tickets were last planned with."""
        return self._fingerprint

    async def claim_due(self, now: datetime, limit: int, owner: str, lease: timedelta) -> list[DueWork]:
        """Lease up to ``limit`` unfired actions due at ``now``, earliest first, to ``owner`` for ``lease``."""
        free = [
            t
            for t in self._timers.values()
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
        timer = self._timers.get(work.id)
        if timer is None or timer.fired_at is not None or timer.lease_owner != owner or timer.due > now:
            return False
        timer.fired_at, timer.lease_owner, timer.lease_until = now, None, None
        for notice in notices:
            number = max(self._queued, default=0) + 1
            self._queued[number] = _Queued(number, work.ticket, work.id, notice)
        if change is not None:
            fields = rows.change_fields(change)
            self._tickets[work.ticket] = replace(self._tickets[work.ticket], **fields, updated_at=now)  # type: ignore[arg-type]
        if event is not None:
            self._events.append(event)
        self._replan(work.ticket, now)
        return True

    async def timers(self, number: int) -> list[TimerRecord]:
        """A ticket's planned and fired SLA actions, by due time."""
        mine = sorted((t for t in self._timers.values() if t.ticket == number), key=lambda t: (t.due, t.id))
        return [TimerRecord(*t.key, t.due, t.fired_at) for t in mine]

    async def claim_outbox(self, now: datetime, limit: int, owner: str, lease: timedelta) -> list[OutboxItem]:
        """Lease up to ``limit`` unsent notifications (oldest first) whose lease or retry time has passed."""
        ready = [
            q for q in self._queued.values() if q.sent_at is None and (q.lease_until is None or q.lease_until <= now)
        ]
        found = sorted(ready, key=lambda q: q.id)[:limit]
        for item in found:
            item.lease_until = now + lease
        return [OutboxItem(q.id, q.ticket, q.outbound, q.attempts) for q in found]

    async def outbox_sent(self, item: int, now: datetime) -> None:
        """Mark a notification delivered."""
        queued = self._queued.get(item)
        if queued is not None and queued.sent_at is None:
            queued.sent_at, queued.lease_until = now, None

    async def outbox_failed(self, item: int, now: datetime, reason: str, retry_at: datetime) -> None:
        """Record a failed delivery (and an event on its ticket); it is tried again from ``retry_at``."""
        queued = self._queued.get(item)
        if queued is None or queued.sent_at is not None:
            return
        queued.attempts, queued.lease_until = queued.attempts + 1, retry_at
        if queued.ticket is not None:
            from core.store.outbox_json import reply_json

            payload = reply_json(queued.outbound.reply)
            self._events.append(rows.failed_notice_event(queued.ticket, now, payload, reason))

    async def outbox(self, number: int | None = None) -> list[OutboxItem]:
        """Every notification queued for a ticket (all when None), oldest first, sent or not."""
        found = [q for q in sorted(self._queued.values(), key=lambda q: q.id) if number is None or q.ticket == number]
        return [OutboxItem(q.id, q.ticket, q.outbound, q.attempts, q.sent_at) for q in found]

    def _fired_escalations(self, number: int) -> list[Escalation]:
        found = []
        for timer in self._timers.values():
            action, clock, _instance, level = timer.key
            if timer.ticket != number or action is not ActionKind.ESCALATION or timer.fired_at is None:
                continue
            for queued in self._queued.values():
                if queued.timer == timer.id:
                    found.append(
                        Escalation(number, Deadline(clock), level, str(queued.outbound.address), timer.fired_at)
                    )
        return found
