"""What the desk says: promises, notices and ticket summaries in plain words."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from core.sla.deadlines import describe_duration
from core.tickets.records import Priority, Ticket
from core.tiers import Tier

# Categories where the person who answers is an engineer rather than the support team at large.
_ENGINEERING = frozenset({"bug", "incident", "security", "performance"})
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def responder(category: str | None) -> str:
    """Who will answer a ticket of this category."""
    return "an engineer" if category in _ENGINEERING else "someone from the support team"


def promise(tier: Tier, priority: Priority, category: str | None) -> str:
    """The first-response promise for a new ticket, honest when the tier makes none."""
    target = tier.targets.first_response.get(priority)
    if target is None:
        return (
            f"{tier.label} support is best effort, so there is no guaranteed response time at {priority} "
            "priority; the team and the community will pick it up as soon as they can"
        )
    counted = "" if tier.sla.calendar.always_open else f" (counted in business hours: {tier.sla.calendar.name})"
    return f"{responder(category)} will reply within {describe_duration(target)}{counted}"


def acknowledgement(ticket: Ticket, tier: Tier, category: str | None) -> str:
    """``Ticket #12, critical: an engineer will reply within 2 hours.``"""
    return f"Ticket #{ticket.number}, {ticket.priority}: {promise(tier, ticket.priority, category)}."


def served_elsewhere(tier: Tier, own: Tier) -> str:
    """What someone whose tier ``own`` is not served here is told: where it is, and what applies here."""
    places = ", ".join(own.channels[:-1]) + " or " + own.channels[-1] if len(own.channels) > 1 else own.channels[0]
    return (
        f"Your {own.label} support is on {places}; here you are served at the {tier.label} tier. "
        f"Write to us there for your {own.label} response times."
    )


def extract(text: str, limit: int = 320) -> str:
    """The first sentences of a passage, up to about ``limit`` characters, cut at a sentence end."""
    text = " ".join(line.strip() for line in text.strip().splitlines() if line.strip())
    if len(text) <= limit:
        return text
    shown = ""
    for sentence in _SENTENCE_END.split(text):
        if shown and len(shown) + len(sentence) + 1 > limit:
            break
        shown = f"{shown} {sentence}".strip()
    if len(shown) > limit:
        shown = shown[:limit].rsplit(" ", 1)[0]
    return shown + " …"


def span(delta: timedelta) -> str:
    """A short duration like ``1h 05m`` or ``3d 2h`` (sign ignored)."""
    minutes = abs(int(delta.total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h"
    return f"{hours}h {mins:02d}m" if hours else f"{mins}m"


def due_phrase(due: datetime | None, met: datetime | None, now: datetime) -> str:
    """How a deadline stands: ``met``, ``due in 1h 05m``, ``overdue by 20m`` or ``none``."""
    if due is None:
        return "none"
    if met is not None:
        return "met" if met <= due else f"missed by {span(met - due)}"
    return f"due in {span(due - now)}" if due > now else f"overdue by {span(now - due)}"


def ticket_flags(ticket: Ticket) -> str:
    """What staff should know before reading: `` · frustrated · language de`` (empty when neither).

    English, the staff's own language, is not worth a flag on every line.
    """
    foreign = ticket.language not in ("", "en")
    flags = (["frustrated"] if ticket.frustrated else []) + ([f"language {ticket.language}"] if foreign else [])
    return "".join(f" · {flag}" for flag in flags)


def ticket_line(ticket: Ticket, now: datetime) -> str:
    """One line of a ticket list."""
    who = ticket.assignee or "unassigned"
    first = due_phrase(ticket.first_response_due, ticket.first_response_at, now)
    return (
        f"#{ticket.number} [{ticket.priority}] {ticket.tier} · {ticket.status} · {who} · "
        f"first response {first}{ticket_flags(ticket)} · {ticket.subject}"
    )
