"""Moving a ticket: to another person (``assign N WHO``) or to another tier (``tier N TIER``).

Shared with ``core.desk.moderation``: finding a ticket and logging a change on it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.desk.context import actor_of
from core.messages import Mention, Outbound, Reply, ReplyKind
from core.sla.deadlines import describe_duration, reprioritised
from core.tickets.records import TicketChange, TicketEvent, TicketNotFoundError, TicketStatus
from core.wording import due_phrase, opening_hours

if TYPE_CHECKING:
    from datetime import datetime

    from core.desk.context import Desk
    from core.messages import Inbound
    from core.tickets.records import ConversationMessage, Ticket
    from core.tiers import Tier


async def ticket_of(desk: Desk, number: int) -> Ticket:
    """Ticket ``number``; ``TicketNotFoundError`` (which the user reads) if there is none."""
    ticket = await desk.stores.tickets.get(number)
    if ticket is None:
        raise TicketNotFoundError(number)
    return ticket


async def log_change(
    desk: Desk,
    message: Inbound,
    ticket: Ticket,
    change: TicketChange,
    kind: str,
    detail: str = "",
    kept: ConversationMessage | None = None,
) -> Ticket:
    """Apply ``change`` to ``ticket`` with an audit event of ``kind`` by ``message``'s author."""
    event = TicketEvent(ticket.number, desk.clock.now(), actor_of(message), kind, detail)
    return await desk.stores.tickets.update(ticket.number, change, event, kept)


async def assign(desk: Desk, message: Inbound, number: int, person: str) -> Reply:
    """Make ``person`` (an id on the command's platform) the assignee of ticket ``number``, and tell them."""
    ticket = await ticket_of(desk, number)
    assignee = f"{message.platform}:{person}"
    if ticket.assignee == assignee:
        return Reply(ReplyKind.INFO, f"Ticket #{number} is already assigned to {person}.", ticket=number)
    status = TicketStatus.OPEN if ticket.status is TicketStatus.NEW else None
    detail = f"{ticket.assignee or 'nobody'} → {assignee}"
    await log_change(desk, message, ticket, TicketChange(status=status, assignee=assignee), "assigned", detail)
    # Said where the command was run, on the assignee's own platform, mentioning them so they are notified.
    notice = Reply(
        ReplyKind.WARNING,
        f"Ticket #{number} ({ticket.priority}, {ticket.subject}) is now assigned to {person}, "
        f"by {message.author.name}.",
        ticket=number,
        origin=ticket.address,
        mentions=(Mention(message.platform, "user", person),),
    )
    before = f" (was {ticket.assignee})" if ticket.assignee else ""
    try:
        await desk.notifier.send(Outbound(message.address, notice))
    except Exception as exc:  # the assignment stands; say plainly that the assignee was not told
        reason = str(exc) or type(exc).__name__
        await desk.stores.tickets.add_event(
            TicketEvent(number, desk.clock.now(), "helpline", "delivery_failed", reason)
        )
        text = f"Ticket #{number} is assigned to {person}{before}, but they could not be told: {reason}"
        return Reply(ReplyKind.ERROR, text, ticket=number)
    return Reply(ReplyKind.INFO, f"Ticket #{number} is assigned to {person}{before}; they were told.", ticket=number)


async def move_tier(desk: Desk, message: Inbound, number: int, name: str) -> Reply:
    """Put ticket ``number`` on tier ``name``: its SLA is planned again and the reply states the new promise."""
    ticket = await ticket_of(desk, number)
    try:
        tier = desk.tiers.get(name)
    except KeyError:
        known = ", ".join(t.name for t in desk.tiers.tiers)
        return Reply(ReplyKind.ERROR, f'There is no tier "{name}". Tiers: {known}. Usage: tier N TIER', ticket=number)
    if ticket.tier == tier.name:
        return Reply(ReplyKind.INFO, f"Ticket #{number} is already {tier.label}.", ticket=number)
    change = reprioritised(ticket, tier.targets, ticket.priority)
    change = TicketChange(
        tier=tier.name, first_response_due=change.first_response_due, resolution_due=change.resolution_due
    )
    moved = await log_change(desk, message, ticket, change, "tier", f"{ticket.tier} → {tier.name}")
    was = next((t.label for t in desk.tiers.tiers if t.name == ticket.tier), ticket.tier)  # may be gone from config
    return Reply(ReplyKind.INFO, _moved_text(moved, was, tier, desk.clock.now()), ticket=number)


def _moved_text(ticket: Ticket, was: str, tier: Tier, now: datetime) -> str:
    """``Ticket #3 is now Enterprise (was community): ... first response due in 1h 40m, resolution ...``."""
    target = tier.targets.first_response.get(ticket.priority)
    calendar = tier.sla.calendar
    counted = "" if calendar.always_open else f", counting only business hours ({opening_hours(calendar)})"
    promise = (
        f"{tier.label} promises a first response within {describe_duration(target)} at {ticket.priority}{counted}"
        if target is not None
        else f"{tier.label} makes no response promise at {ticket.priority}"
    )
    return (
        f"Ticket #{ticket.number} is now {tier.label} (was {was}); its SLA was planned again. {promise}: "
        f"first response {due_phrase(ticket.first_response_due, ticket.first_response_at, now)}, "
        f"resolution {due_phrase(ticket.resolution_due, ticket.resolved_at, now)}."
    )
