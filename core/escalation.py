"""Escalation: telling the right humans that a ticket missed (or is about to miss) its promise."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime

from core.messages import Action, Address, Choice, Outbound, Reply, ReplyKind
from core.ports import Clock, Notifier, TicketStore
from core.sla import describe_duration
from core.tickets import Deadline, Escalation, Ticket
from core.tiers import Tier, TierDirectory
from core.wording import span

log = logging.getLogger("helpline.escalation")


def missed(ticket: Ticket, now: datetime) -> list[Deadline]:
    """The deadlines of ``ticket`` that have passed unmet at ``now``."""
    if not ticket.status.active:
        return []
    found = []
    due = ticket.first_response_due
    if due is not None and ticket.first_response_at is None and due < now:
        found.append(Deadline.FIRST_RESPONSE)
    due = ticket.resolution_due
    if due is not None and ticket.resolved_at is None and due < now:
        found.append(Deadline.RESOLUTION)
    return found


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
    """Finds tickets whose deadlines passed unmet and escalates each deadline exactly once."""

    def __init__(self, store: TicketStore, tiers: TierDirectory, notifier: Notifier, clock: Clock) -> None:
        self._store = store
        self._tiers = tiers
        self._clock = clock
        self._escalator = Escalator(store, tiers, notifier)
        self.last_pass: datetime | None = None
        self.last_error: str | None = None

    async def run_once(self) -> list[Escalation]:
        """One pass over the overdue tickets; returns the escalations sent in it."""
        now = self._clock.now()
        sent = []
        for ticket in await self._store.overdue(now):
            try:
                self._tiers.get(ticket.tier)
            except KeyError:
                log.warning("ticket #%s has tier %r, which is no longer configured", ticket.number, ticket.tier)
                continue
            for deadline in missed(ticket, now):
                try:
                    escalation = await self._escalator.escalate(ticket, deadline, 1, now)
                except Exception:  # one failed delivery must not stop the others; retried next pass
                    log.debug("escalation of ticket #%s will be retried", ticket.number, exc_info=True)
                    continue
                if escalation is not None:
                    sent.append(escalation)
        self.last_pass, self.last_error = now, None
        return sent

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
