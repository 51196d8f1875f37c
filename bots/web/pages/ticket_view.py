"""What the ticket page shows: the conversation across platforms, the audit log in words, and the action forms."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.command_records import (
    Acknowledge,
    Assign,
    Claim,
    CorrectIntent,
    Escalate,
    Note,
    Reopen,
    ReplyTo,
    Resolve,
    SetPriority,
)
from core.tickets.records import Priority, Role
from core.wording import event_line, person

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence
    from datetime import datetime

    from core.command_records import Command
    from core.tickets.records import ConversationMessage, Ticket, TicketEvent

ROLE_NAMES = {Role.CUSTOMER: "customer", Role.AGENT: "support", Role.BOT: "Helpline", Role.NOTE: "internal note"}
PLATFORM_NAMES = {"discord": "Discord", "slack": "Slack", "github": "GitHub", "console": "console"}
ACTIONS = ("claim", "assign", "reply", "note", "priority", "intent", "resolve", "reopen", "escalate", "acknowledge")
_MAX_TEXT = 4000  # characters of a reply or a note typed in the page


class ActionError(ValueError):
    """A form the page cannot turn into a desk command; the message says what to fix."""


@dataclass(frozen=True)
class MessageView:
    """One message of the conversation as the page lays it out."""

    author: str
    role: str
    internal: bool
    at: datetime
    where: str  # the platform (and thread) it was written in
    text: str
    citation_title: str
    citation_url: str  # empty unless an http(s) link: nothing else becomes a link
    files: tuple[FileView, ...] = ()


@dataclass(frozen=True)
class FileView:
    """A file sent with a message: its name, media type and size in words, and its link if it is http(s)."""

    name: str
    media_type: str
    size: str
    url: str  # empty unless an http(s) link


@dataclass(frozen=True)
class EventView:
    """One line of the audit log."""

    at: datetime
    line: str
    kind: str


def where(message: ConversationMessage) -> str:
    """``Slack · C1 / 1700.1``: the platform and the thread a message was written in."""
    address = message.address
    place = " / ".join(part for part in (address.channel, address.thread) if part)
    name = PLATFORM_NAMES.get(address.platform, address.platform)
    return f"{name} · {place}" if place else name


def message_views(messages: Sequence[ConversationMessage]) -> list[MessageView]:
    """The ticket's messages, oldest first, internal notes marked, each with the files sent with it."""
    found = []
    for m in messages:
        title = m.citation.title if m.citation else ""
        url = web_link(m.citation.url) if m.citation else ""
        files = tuple(
            FileView(f.name, f.media_type or "unknown type", size_words(f.size), web_link(f.url)) for f in m.files
        )
        found.append(
            MessageView(
                m.author_name,
                ROLE_NAMES.get(m.role, str(m.role)),
                m.role is Role.NOTE,
                m.at,
                where(m),
                m.text,
                title,
                url,
                files,
            )
        )
    return found


def web_link(url: str) -> str:
    """``url`` if it is an http(s) address a browser may follow, else empty: a ``javascript:`` one never links."""
    url = url.strip()
    return url if url.lower().startswith(("https://", "http://")) else ""


def size_words(size: int | None) -> str:
    """A file size as people read it: ``1 byte``, ``512 bytes``, ``47 KB``, ``2.5 MB``; "size unknown" without one."""
    if size is None:
        return "size unknown"
    if size < 1024:
        return "1 byte" if size == 1 else f"{size} bytes"
    value, unit = size / 1024, "KB"
    for larger in ("MB", "GB", "TB"):
        if round(value) < 1024:
            break
        value, unit = value / 1024, larger
    return f"{value:.1f} {unit}" if value < 10 else f"{value:.0f} {unit}"


def platforms_spanned(ticket: Ticket, messages: Sequence[ConversationMessage]) -> list[str]:
    """Every platform the ticket's conversation took place on, its own first."""
    names = [ticket.address.platform, *(m.address.platform for m in messages)]
    return [PLATFORM_NAMES.get(p, p) for p in dict.fromkeys(names)]


def event_views(events: Sequence[TicketEvent]) -> list[EventView]:
    """The audit log in words, oldest first."""
    return [EventView(e.at, event_line(e.actor, e.kind, e.detail), e.kind) for e in events]


def assignee_words(ticket: Ticket) -> str:
    """Who has the ticket, in words."""
    return person(ticket.assignee)


def command_for(action: str, number: int, form: Mapping[str, str]) -> Command:
    """The desk command an action form asks for; ``ActionError`` says what the form is missing."""
    simple: dict[str, type[Claim | Resolve | Reopen | Escalate | Acknowledge]] = {
        "claim": Claim,
        "resolve": Resolve,
        "reopen": Reopen,
        "escalate": Escalate,
        "acknowledge": Acknowledge,
    }
    if action in simple:
        return simple[action](number)
    if action == "assign":
        who = form.get("person", "").strip().removeprefix("@")
        if not who:
            raise ActionError("Say whom to assign the ticket to.")
        return Assign(number, who)
    if action == "priority":
        try:
            return SetPriority(number, Priority(form.get("priority", "")))
        except ValueError:
            raise ActionError("Choose a priority: " + ", ".join(p.value for p in Priority) + ".") from None
    if action == "intent":
        name = form.get("intent", "").strip().lower()
        if not name:
            raise ActionError("Choose the ticket's intent.")
        return CorrectIntent(number, name)  # the desk checks the name against the intents file
    text = form.get("text", "").strip()
    if not text:
        raise ActionError("Write the reply first." if action == "reply" else "Write the note first.")
    if len(text) > _MAX_TEXT:
        raise ActionError(f"That is {len(text)} characters; keep it under {_MAX_TEXT}.")
    return ReplyTo(number, text) if action == "reply" else Note(number, text)
