"""The ticket a customer's message opens: its draft with the tier's deadlines, its subject, and the notes around it."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from core.desk.context import DeskPolicy
from core.messages import Inbound, Reply, ReplyKind
from core.sla.deadlines import deadlines
from core.tickets.records import NewTicket, Priority, Ticket, TicketStatus
from core.understanding.language import Languages
from core.understanding.routing import RoutingRules
from core.understanding.understander import Understanding

if TYPE_CHECKING:
    from core.tiers import Membership

SUBJECT_CHARS = 120


def ticket_draft(
    message: Inbound, member: Membership, priority: Priority, subject: str, intent: str | None, now: datetime
) -> NewTicket:
    """The ticket a message's author opens now, with the deadlines their tier promises at ``priority``."""
    due = deadlines(member.tier.targets, priority, now)
    return NewTicket(
        customer=member.customer,
        tier=member.tier.name,
        address=message.address,
        requester_id=message.author.id,
        requester_name=message.author.name,
        subject=subject,
        intent=intent,
        priority=priority,
        created_at=now,
        first_response_due=due.first_response,
        resolution_due=due.resolution,
    )


def truncation_note(understanding: Understanding) -> list[Reply]:
    """The note that only the start of a long message was read (none for a message read whole)."""
    if not understanding.truncated:
        return []
    note = (
        f"Your message was long, so I read only its first {len(understanding.text):,} characters; "
        "the whole message is kept."
    )
    return [Reply(ReplyKind.INFO, note)]


def routing_rules(policy: DeskPolicy) -> RoutingRules:
    """The routing thresholds the desk's policy sets."""
    return RoutingRules(Languages.of(policy.languages), policy.answer_score, policy.clear_out_of_scope)


def subject_of(text: str) -> str:
    """A ticket subject from the customer's words: the first line, shortened."""
    first = text.strip().splitlines()[0] if text.strip() else "(no text)"
    return first if len(first) <= SUBJECT_CHARS else first[: SUBJECT_CHARS - 1].rstrip() + "…"


def resolved_for(message: Inbound, latest: Ticket | None) -> Ticket | None:
    """The thread's latest ticket if it is resolved and ``message``'s author asked for it."""
    asked = latest is not None and latest.status is TicketStatus.RESOLVED and latest.requester_id == message.author.id
    return latest if asked else None
