"""Video calls at the desk: ``call`` offers three free slots within the tier's quota; picking one books it.

A slot's button carries its start (minutes since the epoch), so nothing waits in memory between the offer and the
pick: the pick checks the quota and the slot again, and the store refuses a call that overlaps one booked meanwhile.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from core.calls.invite import invite
from core.calls.quota import check_quota
from core.calls.records import CallPolicy, NewCall
from core.calls.slots import describe_slots, free_slots, zone_note
from core.calls.support_hours import support_calendar
from core.desk.context import actor_of
from core.desk.people import membership
from core.messages import (
    Action,
    Address,
    Attachment,
    Choice,
    ChoiceMessage,
    Destination,
    Inbound,
    Mention,
    Outbound,
    Reply,
    ReplyKind,
)
from core.sla.deadlines import describe_duration
from core.tickets.records import TicketEvent

if TYPE_CHECKING:
    from core.desk.context import Desk
    from core.tickets.records import Ticket
    from core.tiers import Membership, Tier

HORIZON = timedelta(days=60)  # how far ahead booked calls are read when looking for free slots


def _minute(moment: datetime) -> int:
    return int(moment.astimezone(UTC).timestamp()) // 60


def _month_start(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(day=1, hour=0, minute=0, second=0, microsecond=0)


class CallDesk:
    """Offers and books video calls for every platform alike."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk

    async def offer(self, message: Inbound, number: int) -> Reply:
        """Three free slots for a call (about ticket ``number``, or the conversation's), or why there are none."""
        member = await membership(self.desk, message)
        tier = member.elsewhere or member.tier
        policy = self.desk.calls.policy(tier.name)
        refused = await self._quota(member, policy)
        if refused is not None:
            return refused
        ticket = await self._ticket(message, number)
        if isinstance(ticket, Reply):
            return ticket
        return await self._slots(ticket, policy, "", message.author.zone)

    async def book(self, message: ChoiceMessage) -> Reply:
        """The customer picked a slot: check it again, book it, and send the link and the invite."""
        d = self.desk
        if message.score is None:
            return Reply(ReplyKind.ERROR, f"{message.action.value!r} without a time is not a choice I offered.")
        start, now = datetime.fromtimestamp(message.score * 60, UTC), d.clock.now()
        member = await membership(d, message)
        tier = member.elsewhere or member.tier
        policy = d.calls.policy(tier.name)
        refused = await self._quota(member, policy)
        if refused is not None:
            return refused
        ticket = await self._ticket(message, message.ticket or 0)
        if isinstance(ticket, Reply):
            return ticket
        booked = await d.stores.calls.overlapping(start - policy.length, start + policy.length * 2)
        taken = [(c.start, c.end) for c in booked]
        calendar = support_calendar(d.calls, d.tiers)
        if start < now + d.calls.notice or free_slots(calendar, start, policy.length, taken, 1)[0] != start:
            return await self._slots(ticket, policy, "That time is no longer free. ", message.author.zone)
        call = NewCall(
            holder=member.customer,
            person=actor_of(message),
            address=message.address,
            ticket=ticket.number if ticket is not None else None,
            tier=tier.name,
            start=start,
            length=policy.length,
            link=d.call_rooms.room(start, ticket.subject if ticket is not None else "support"),
            agent=ticket.assignee if ticket is not None else None,
            booked_at=now,
        )
        about = f" about ticket #{call.ticket}" if call.ticket is not None else ""
        when = describe_slots([start], message.author.zone or None, calendar)[0]
        ics = invite(call, f"helpline-call-{_minute(start)}-{call.holder}", f"Video call with support{about}", now,
                     d.calls.reminder)  # fmt: skip
        notices = [self._staff_notice(message, call, tier, when, ics), *_agent_invite(message, call, when, ics)]
        if await d.stores.calls.book(call, notices) is None:
            return await self._slots(ticket, policy, "Someone booked that time a moment ago. ", message.author.zone)
        if call.ticket is not None:
            event = TicketEvent(call.ticket, now, actor_of(message), "call_booked", f"{when}, {call.link}")
            await d.stores.tickets.add_event(event)
        lead = describe_duration(d.calls.reminder)
        text = (
            f"Your video call{about} is booked: {when}, for {describe_duration(policy.length)}.\n"
            f"Join here: {call.link}\nThe calendar invite is attached; I'll remind you {lead} before it starts."
        )
        return Reply(ReplyKind.INFO, text, ticket=call.ticket, attachments=(ics,))

    async def _quota(self, member: Membership, policy: CallPolicy) -> Reply | None:
        now = self.desk.clock.now()
        calls = await self.desk.stores.calls.of_holder(member.customer, _month_start(now))
        answer = check_quota(policy, now, [c.start for c in calls])
        return None if answer.allowed else Reply(ReplyKind.INFO, answer.reason)

    async def _ticket(self, message: Inbound, number: int) -> Ticket | Reply | None:
        """Ticket ``number`` if it is this conversation's; the conversation's active ticket for 0."""
        tickets = self.desk.stores.tickets
        if number == 0:
            return await tickets.active_ticket_for(message.address)
        ticket = await tickets.get(number)
        if ticket is None or (ticket.address != message.address and ticket.requester_id != message.author.id):
            return Reply(ReplyKind.ERROR, f"Ticket #{number} is not one of yours here; type call alone, or call N "
                         "in the ticket's own conversation.")  # fmt: skip
        return ticket

    async def _slots(self, ticket: Ticket | None, policy: CallPolicy, lead_in: str, zone: str) -> Reply:
        """Three free slots, shown in ``zone`` (the customer's, when known) or the calendar's."""
        d = self.desk
        now = d.clock.now()
        calendar = support_calendar(d.calls, d.tiers)
        booked = await d.stores.calls.overlapping(now, now + HORIZON)
        slots = free_slots(calendar, now + d.calls.notice, policy.length, [(c.start, c.end) for c in booked])
        number = ticket.number if ticket is not None else 0
        labels = describe_slots(slots, zone or None, calendar)
        choices = tuple(
            Choice(label, Action.BOOK_CALL, number, _minute(s)) for label, s in zip(labels, slots, strict=True)
        )
        about = f" about ticket #{number}" if number else ""
        length = describe_duration(policy.length)
        text = f"{lead_in}Pick a time for a video call{about} ({length}).{zone_note(zone or None, calendar)}"
        return Reply(ReplyKind.INFO, text, choices=choices, ticket=number or None)

    def _staff_notice(self, message: Inbound, call: NewCall, tier: Tier, when: str, ics: Attachment) -> Outbound:
        """The team's copy: to the tier's team channel, mentioning the ticket's assignee, the invite attached."""
        about = f" on ticket #{call.ticket}" if call.ticket is not None else ""
        text = f"Video call booked by {message.author.name} ({call.person}, {tier.label}){about}: {when}. {call.link}"
        mentions: tuple[Mention, ...] = ()
        if call.agent is not None and ":" in call.agent:
            platform, _, user = call.agent.partition(":")
            mentions = (Mention(platform, "user", user),)
        reply = Reply(ReplyKind.WARNING, text, mentions=mentions, origin=call.address, ticket=call.ticket,
                      attachments=(ics,))  # fmt: skip
        return Outbound(Address.parse(tier.team_channel), reply)


def _agent_invite(message: Inbound, call: NewCall, when: str, ics: Attachment) -> list[Outbound]:
    """The ticket's assignee's own copy of the invite, by direct message; none when nobody holds the ticket."""
    if call.agent is None or ":" not in call.agent:
        return []
    platform, _, user = call.agent.partition(":")
    about = f" about ticket #{call.ticket}" if call.ticket is not None else ""
    text = f"You have a video call{about} with {message.author.name}: {when}. {call.link}"
    reply = Reply(ReplyKind.INFO, text, destination=Destination.DIRECT, mentions=(Mention(platform, "user", user),),
                  ticket=call.ticket, attachments=(ics,))  # fmt: skip
    return [Outbound(Address.parse(call.agent), reply)]
