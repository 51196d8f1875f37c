"""What the desk says: promises, notices and ticket summaries in plain words."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from core.messages import Address
from core.sla.calendars import BusinessCalendar
from core.sla.deadlines import describe_duration
from core.tickets.records import Priority, Ticket
from core.tiers import Tier

if TYPE_CHECKING:
    from core.sla.deadlines import Calendar

# Categories where the person who answers is an engineer rather than the support team at large.
_ENGINEERING = frozenset({"bug", "incident", "security", "performance"})
_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_BLANK_LINES = re.compile(r"\n\s*\n")
# Lines that keep their own line in an extract: list items, table rows, code fences and quotes.
_KEEP_LINES = re.compile(r"^\s*([-*+] |\d+[.)] |\||```|~~~|>)")


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
    calendar = tier.sla.calendar
    counted = "" if calendar.always_open else f", counting only business hours ({opening_hours(calendar)})"
    return f"{responder(category)} will reply within {describe_duration(target)}{counted}"


def opening_hours(calendar: Calendar) -> str:
    """When a calendar counts, in words: ``Mon–Fri 08:00–18:00, Europe/London time``."""
    if not isinstance(calendar, BusinessCalendar):
        return f"the {calendar.name} calendar"
    days: list[tuple[str, str]] = []  # (day name, its hours)
    for day in range(7):
        openings = calendar.week.get(day, ())
        hours = ", ".join(f"{o.start:%H:%M}–{o.end:%H:%M}" if o.end else f"{o.start:%H:%M}–24:00" for o in openings)
        if hours:
            days.append((_DAY_NAMES[day], hours))
    runs: list[tuple[str, str, str]] = []  # (first day, last day, hours) of consecutive days alike
    for name, hours in days:
        if runs and runs[-1][2] == hours and _DAY_NAMES.index(runs[-1][1]) + 1 == _DAY_NAMES.index(name):
            runs[-1] = (runs[-1][0], name, hours)
        else:
            runs.append((name, name, hours))
    shown = "; ".join(f"{a}–{b} {h}" if a != b else f"{a} {h}" for a, b, h in runs)
    closed = ", not on public holidays" if calendar.holidays else ""
    return f"{shown}, {calendar.zone} time{closed}"


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
    """The first blocks of a passage, up to about ``limit`` characters, as Markdown.

    Paragraphs are cut at a sentence end; list items, table rows and code lines keep their own lines
    (a table keeps its header), so a list or a table still reads as one.
    """
    blocks = _blocks(text)
    shown: list[str] = []
    used = 0
    for lines, joined in blocks:
        room = limit - used
        part = _sentences(lines[0], room, first=not shown) if joined else _lines(lines, room, first=not shown)
        if part:
            shown.append(part)
            used += len(part) + 2
        if part != ("\n".join(lines) if not joined else lines[0]):
            # After a list or a table the ellipsis goes on a line of its own, so the block stays whole.
            return "\n\n".join(shown) + (" …" if joined and part else "\n…")
    return "\n\n".join(shown)


def _blocks(text: str) -> list[tuple[list[str], bool]]:
    """The passage as blocks: (its lines, True for a paragraph whose lines join into one)."""
    blocks: list[tuple[list[str], bool]] = []
    for raw in _BLANK_LINES.split(text.strip()):
        lines = [line.rstrip() for line in raw.splitlines() if line.strip()]
        if not lines:
            continue
        if any(_KEEP_LINES.match(line) for line in lines):
            blocks.append((lines, False))
        else:
            blocks.append(([" ".join(line.strip() for line in lines)], True))
    return blocks


def _sentences(paragraph: str, room: int, *, first: bool) -> str:
    """As many whole sentences of ``paragraph`` as fit in ``room``; the first block is shortened if need be."""
    if len(paragraph) <= room:
        return paragraph
    shown = ""
    for sentence in _SENTENCE_END.split(paragraph):
        if len(shown) + len(sentence) + 1 > room:
            break
        shown = f"{shown} {sentence}".strip()
    if not shown and first:
        shown = paragraph[:room].rsplit(" ", 1)[0]
    return shown


def _lines(lines: list[str], room: int, *, first: bool) -> str:
    """As many whole lines as fit in ``room``; a table keeps its header and separator with its first row."""
    head = 3 if len(lines) >= 3 and lines[0].lstrip().startswith("|") else 1
    if not first and len("\n".join(lines[:head])) > room:
        return ""
    taken = lines[:head]
    for line in lines[head:]:
        if len("\n".join([*taken, line])) > room:
            break
        taken.append(line)
    return "\n".join(taken)


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
    who = person(ticket.assignee, "unassigned")
    first = due_phrase(ticket.first_response_due, ticket.first_response_at, now)
    return (
        f"#{ticket.number} [{ticket.priority}] {ticket.tier} · {ticket.status} · {who} · "
        f"first response {first}{ticket_flags(ticket)} · {ticket.subject}"
    )


# What each audit-log event means, for the ticket view; an unknown kind is shown in plain words.
_HAPPENINGS = {
    "opened": "opened the ticket",
    "customer_message": "wrote again",
    "answer_not_helpful": "said the suggested answer did not help",
    "claimed": "claimed it",
    "assigned": "assigned it",
    "tier": "moved it to another tier",
    "intent": "corrected the intent",
    "replied": "replied to the customer",
    "note": "added an internal note",
    "priority": "changed the priority",
    "escalated": "escalated it",
    "acknowledged": "acknowledged the escalation",
    "resolved": "resolved it",
    "reopened": "reopened it",
    "closed": "closed it",
    "sla_warning": "sent an SLA warning",
    "sla_reminder": "sent a status reminder",
    "stale_reminder": "reminded the customer",
    "escalation_skipped": "skipped an escalation",
    "notification_failed": "could not send a notice",
    "delivery_failed": "could not deliver a message",
    "kb_proposal": "proposed it for the knowledge base",
}


_PLATFORM_NAMES = {"slack": "Slack", "discord": "Discord", "github": "GitHub", "email": "e-mail"}


def person(actor: str | None, nobody: str = "nobody") -> str:
    """Someone named as ``platform:id`` in words: ``mo`` at the console, ``U0MO on Slack``, ``Helpline``."""
    if not actor:
        return nobody
    if actor == "helpline":
        return "Helpline"
    platform, _, ident = actor.partition(":")
    if not ident or platform == "console":
        return ident or actor
    return f"{ident} on {_PLATFORM_NAMES.get(platform, platform)}"


def place(address: str) -> str:
    """Where a notice is posted, in words: ``the console``, ``Slack channel C123``, ``GitHub``."""
    try:
        where = Address.parse(address)
    except ValueError:  # refused at start-up; kept as written rather than failing a reply
        return address
    if where.platform == "console":
        return "the console"
    name = _PLATFORM_NAMES.get(where.platform, where.platform)
    return f"{name} channel {where.channel}" if where.channel else name


def event_line(actor: str, kind: str, detail: str) -> str:
    """One line of a ticket's history in words: ``ana claimed it (was bo)``, ``Helpline sent an SLA warning``."""
    who = person(actor)
    what = _HAPPENINGS.get(kind, kind.replace("_", " "))
    return f"{who} {what}" + (f" ({detail})" if detail else "")
