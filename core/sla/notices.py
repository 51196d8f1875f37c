"""What each piece of due SLA work says, to whom, and what it changes: pure, so it is tested without a worker."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from core.messages import Action, Address, Choice, Mention, Outbound, Reply, ReplyKind
from core.sla.clocks import ClockName, SlaState
from core.sla.deadlines import describe_duration
from core.sla.events import CLOSED
from core.sla.oncall import OnCall
from core.sla.plan import ON_CALL, ActionKind
from core.sla.records import DueWork
from core.tickets.records import Ticket, TicketChange, TicketEvent, TicketStatus
from core.tiers import Tier
from core.wording import person, span, ticket_flags

SYSTEM = "helpline"
_WORDS = {ClockName.FIRST_RESPONSE: "first-response", ClockName.NEXT_RESPONSE: "next-response"}


@dataclass(frozen=True)
class Firing:
    """What firing one action does: notices for the outbox, an audit event and maybe a ticket change.

    No notices and no event: the action is marked done and says nothing (a reminder a later one replaces).
    """

    notices: tuple[Outbound, ...]
    event: TicketEvent | None
    change: TicketChange | None = None


def mentions(wanted: tuple[str, ...], on_call: OnCall, now: datetime) -> tuple[Mention, ...]:
    """The mentions of an escalation level, with ``on-call`` replaced by the shift on duty at ``now``."""
    found: list[Mention] = []
    for text in wanted:
        if text == ON_CALL:
            shift = on_call.on_duty(now)
            found += [Mention.parse(m) for m in shift.mentions] if shift is not None else []
        else:
            found.append(Mention.parse(text))
    return tuple(dict.fromkeys(found))


def assignee_mention(ticket: Ticket) -> tuple[Mention, ...]:
    """The assignee (``platform:id``) as a user mention, if the ticket has one."""
    platform, _, ident = (ticket.assignee or "").partition(":")
    return (Mention(platform, "user", ident),) if platform and ident else ()


def fire(work: DueWork, ticket: Ticket, tier: Tier, state: SlaState, on_call: OnCall, now: datetime) -> Firing:
    """The notices, event and change of ``work`` on ``ticket``."""
    if work.action is ActionKind.WARNING:
        return _warning(work, ticket, tier, state, now)
    if work.action is ActionKind.ESCALATION:
        return _escalation(work, ticket, tier, state, on_call, now)
    if work.action is ActionKind.REMINDER:
        return _reminder(work, ticket, tier, state, on_call, now)
    return _stale(work, ticket, tier, now)


def _claim(ticket: Ticket, ack: bool = False) -> tuple[Choice, ...]:
    claim = Choice(f"Claim #{ticket.number}", Action.CLAIM, ticket.number)
    return (claim, Choice(f"Acknowledge #{ticket.number}", Action.ACKNOWLEDGE, ticket.number)) if ack else (claim,)


def _clock_words(work: DueWork, state: SlaState) -> tuple[str, str]:
    clock = next((c for c in state.clocks if c.name == work.clock and c.instance == work.instance), None)
    words = _WORDS.get(ClockName(work.clock), "resolution")
    if clock is None or clock.breach_at is None:
        return words, ""
    return words, f"{describe_duration(clock.target)}, due {clock.breach_at:%Y-%m-%d %H:%M} UTC"


def _within(*facts: str) -> str:
    shown = ", ".join(fact for fact in facts if fact)
    return f" ({shown})" if shown else ""


def _head(ticket: Ticket, tier: Tier) -> str:
    flags = ticket_flags(ticket)  # a frustrated customer, another language: the first thing staff should see
    return f"ticket #{ticket.number} ({tier.label}, {ticket.priority}{flags}) from {ticket.requester_name}"


def _warning(work: DueWork, ticket: Ticket, tier: Tier, state: SlaState, now: datetime) -> Firing:
    words, target = _clock_words(work, state)
    share = f"{tier.sla.warning_share:.0%}"
    who = person(ticket.assignee, "nobody yet")
    text = (
        f"SLA warning: {_head(ticket, tier)} has used {share} of its {words} time{_within(target)}.\n"
        f"Assigned to: {who}\nSubject: {ticket.subject}"
    )
    reply = Reply(
        ReplyKind.WARNING,
        text,
        choices=_claim(ticket),
        ticket=ticket.number,
        origin=ticket.address,
        mentions=assignee_mention(ticket),
    )
    channel = tier.team_channel
    detail = f"{work.clock} deadline, {share} used, to {channel}"
    return Firing(
        (Outbound(Address.parse(channel), reply),), TicketEvent(ticket.number, now, SYSTEM, "sla_warning", detail)
    )


def _escalation(work: DueWork, ticket: Ticket, tier: Tier, state: SlaState, on_call: OnCall, now: datetime) -> Firing:
    if work.level > len(tier.sla.chain):  # planned under a longer chain than the one configured now
        detail = f"{work.clock} deadline, level {work.level}: no such level configured any more"
        return Firing((), TicketEvent(ticket.number, now, SYSTEM, "escalation_skipped", detail))
    level = tier.sla.chain[work.level - 1]
    words, target = _clock_words(work, state)
    late = f"overdue by {span(now - work.due)}" if work.level == 1 and now > work.due else ""
    text = (
        f"Escalation (level {work.level}, {level.name}): {_head(ticket, tier)} missed its {words} time"
        f"{_within(target, late)}.\nFor: {tier.escalation_contact}\n"
        f"Assigned to: {person(ticket.assignee, 'nobody has claimed it')}\nSubject: {ticket.subject}"
    )
    reply = Reply(
        ReplyKind.ESCALATION,
        text,
        choices=_claim(ticket, ack=True),
        ticket=ticket.number,
        origin=ticket.address,
        mentions=mentions(level.mentions, on_call, now),
    )
    target = tier.level_target(work.level)
    detail = f"{work.clock} deadline, level {work.level}, target {target}"
    event = TicketEvent(ticket.number, now, SYSTEM, "escalated", detail)
    return Firing((Outbound(Address.parse(target), reply),), event)


def _reminder(work: DueWork, ticket: Ticket, tier: Tier, state: SlaState, on_call: OnCall, now: datetime) -> Firing:
    every, since = tier.sla.reminder_every, state.critical_since
    if every is None or since is None or state.status != "active" or since + (work.instance + 1) * every <= now:
        # Planned before the worker paused (or no longer wanted): the latest reminder due replaces it,
        # so a pause ends in one reminder, sent in its turn after what fell due before it.
        return Firing((), None)
    who = assignee_mention(ticket) or mentions((ON_CALL,), on_call, now)
    text = (
        f"Status reminder: critical {_head(ticket, tier)} is still open after {span(now - ticket.created_at)}.\n"
        f"Post an update for the customer (reply {ticket.number} ...).\nSubject: {ticket.subject}"
    )
    reply = Reply(
        ReplyKind.WARNING, text, choices=_claim(ticket), ticket=ticket.number, origin=ticket.address, mentions=who
    )
    channel = tier.team_channel
    event = TicketEvent(ticket.number, now, SYSTEM, "sla_reminder", f"to {channel}")
    return Firing((Outbound(Address.parse(channel), reply),), event)


def _stale(work: DueWork, ticket: Ticket, tier: Tier, now: datetime) -> Firing:
    after = tier.sla.stale_after
    wait = describe_duration(after) if after is not None else "a while"
    if work.action is ActionKind.STALE_REMINDER:
        text = (
            f"We're still waiting for your reply on ticket #{ticket.number}. If we don't hear back within {wait}, "
            "we'll close it; you can always write again."
        )
        event = TicketEvent(ticket.number, now, SYSTEM, "stale_reminder", f"waiting on the customer for {wait}")
        return Firing((Outbound(ticket.address, Reply(ReplyKind.TICKET, text, ticket=ticket.number)),), event)
    text = f"Ticket #{ticket.number} is closed because we didn't hear back. Write here again if you still need help."
    note = f"closed: no reply from the customer for {wait} after a reminder"
    change = TicketChange(status=TicketStatus.CLOSED, resolved_at=now)
    event = TicketEvent(ticket.number, now, SYSTEM, CLOSED, note)
    return Firing((Outbound(ticket.address, Reply(ReplyKind.TICKET, text, ticket=ticket.number)),), event, change)
