"""Escalation: telling the right humans that a ticket missed (or is about to miss) its promise."""

from __future__ import annotations

import logging
from datetime import datetime

from core.messages import Action, Address, Choice, Outbound, Reply, ReplyKind
from core.ports import Notifier
from core.sla.deadlines import describe_duration
from core.tickets.ports import Escalations
from core.tickets.records import Deadline, Escalation, Ticket
from core.tiers import Tier, TierDirectory
from core.wording import person, span

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
    who = person(ticket.assignee, "nobody has claimed it")
    return f"{head} {why}.\nFor: {tier.escalation_contact}\nAssigned to: {who}\nSubject: {ticket.subject}"


class Escalator:
    """Claims an escalation in the store, then delivers its notice; a failed delivery is released for a retry."""

    def __init__(self, store: Escalations, tiers: TierDirectory, notifier: Notifier) -> None:
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
