"""Conversions between the store's rows and the core's ticket dataclasses, shared by every store."""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_

from core.messages import Address, Citation, FileRef, bounded_files
from core.store.schema import DELIVERY_ID_LENGTH, PLATFORM_LENGTH
from core.tickets.records import (
    ConversationMessage,
    Deadline,
    Escalation,
    NewTicket,
    Priority,
    Role,
    Ticket,
    TicketChange,
    TicketEvent,
    TicketStatus,
)

if TYPE_CHECKING:
    from sqlalchemy import ColumnElement, RowMapping, Table

OPENED = "opened"
ESCALATED = "escalated"
ESCALATION_FAILED = "escalation_failed"
SYSTEM_ACTOR = "helpline"


def opened_detail(draft: NewTicket) -> str:
    """The detail of a ticket's ``opened`` event."""
    return f"priority {draft.priority.value}, tier {draft.tier}"


def failed_notice_event(ticket: int, at: datetime, payload: str, reason: str) -> TicketEvent:
    """The audit event of an outbox notification that could not be delivered."""
    escalation = json.loads(payload).get("kind") == "escalation"
    return TicketEvent(ticket, at, SYSTEM_ACTOR, ESCALATION_FAILED if escalation else "notification_failed", reason)


def escalation_detail(escalation: Escalation) -> str:
    """What an escalation was about, for its audit events."""
    return f"{escalation.deadline.value} deadline, level {escalation.level}, target {escalation.target}"


def change_fields(change: TicketChange) -> dict[str, datetime | str | bool | None]:
    """The ticket fields a change sets, by name; ``clear_resolved_at`` wins over ``resolved_at``."""
    fields: dict[str, datetime | str | bool | None] = {
        name: value
        for name, value in (
            ("status", change.status),
            ("assignee", change.assignee),
            ("priority", change.priority),
            ("first_response_at", change.first_response_at),
            ("resolved_at", change.resolved_at),
            ("first_response_due", change.first_response_due),
            ("resolution_due", change.resolution_due),
            ("tier", change.tier),
            ("frustrated", change.frustrated),
            ("intent", change.intent),
        )
        if value is not None
    }
    if change.clear_resolved_at:
        fields["resolved_at"] = None
    return fields


def address_values(address: Address) -> dict[str, str]:
    """An address as the four columns every thread-keyed table has."""
    return {
        "platform": address.platform,
        "workspace": address.workspace,
        "channel": address.channel,
        "thread": address.thread,
    }


def in_thread(table: Table, address: Address) -> ColumnElement[bool]:
    """Rows of ``table`` that belong to the thread at ``address``."""
    return and_(*(table.c[name] == value for name, value in address_values(address).items()))


def address_from(row: RowMapping | dict[str, Any]) -> Address:
    """The thread address kept in a row's address columns."""
    return Address(row["platform"], row["workspace"], row["channel"], row["thread"])


def ticket_values(draft: NewTicket) -> dict[str, Any]:
    """The row of a freshly opened ticket."""
    return {
        "customer": draft.customer,
        "tier": draft.tier,
        **address_values(draft.address),
        "requester_id": draft.requester_id,
        "requester_name": draft.requester_name,
        "subject": draft.subject,
        "intent": draft.intent,
        "priority": draft.priority.value,
        "status": TicketStatus.NEW.value,
        "assignee": None,
        "created_at": draft.created_at,
        "updated_at": draft.created_at,
        "first_response_due": draft.first_response_due,
        "resolution_due": draft.resolution_due,
        "first_response_at": None,
        "resolved_at": None,
        "language": draft.language,
        "frustrated": draft.frustrated,
    }


def ticket_from(row: RowMapping) -> Ticket:
    """A ticket read back from its row."""
    return Ticket(
        number=row["id"],
        customer=row["customer"],
        tier=row["tier"],
        address=address_from(row),
        requester_id=row["requester_id"],
        requester_name=row["requester_name"],
        subject=row["subject"],
        intent=row["intent"],
        priority=Priority(row["priority"]),
        status=TicketStatus(row["status"]),
        assignee=row["assignee"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        first_response_due=row["first_response_due"],
        resolution_due=row["resolution_due"],
        first_response_at=row["first_response_at"],
        resolved_at=row["resolved_at"],
        next_response_due=row["next_response_due"],
        language=row["language"],
        frustrated=bool(row["frustrated"]),
    )


def message_values(message: ConversationMessage, ticket: int | None) -> dict[str, Any]:
    """The row of a kept message; an empty platform id becomes NULL so id-less messages never collide.

    ``files`` and ``citation_passage`` are left out when there are none (NULL), so the row of a message
    without them fits every revision's table.
    """
    citation = message.citation
    files = {"files": files_json(message.files)} if message.files else {}
    passage = {"citation_passage": citation.passage} if citation is not None and citation.passage else {}
    return {
        **address_values(message.address),
        "ticket_id": ticket,
        "author_id": message.author_id,
        "author_name": message.author_name,
        "role": message.role.value,
        "text": message.text,
        "raw": message.raw,
        "intent": message.intent,
        "citation_title": citation.title if citation else None,
        "citation_url": citation.url if citation else None,
        "external_id": message.external_id or None,
        "at": message.at,
        **files,
        **passage,
    }


def message_from(row: RowMapping) -> ConversationMessage:
    """A kept message read back from its row."""
    title, url = row["citation_title"], row["citation_url"]
    return ConversationMessage(
        address=address_from(row),
        author_id=row["author_id"],
        author_name=row["author_name"],
        role=Role(row["role"]),
        text=row["text"],
        at=row["at"],
        raw=bytes(row["raw"]),
        intent=row["intent"],
        citation=Citation(title, url, row["citation_passage"]) if title is not None and url is not None else None,
        external_id=row["external_id"] or "",
        ticket=row["ticket_id"],
        files=files_from(row["files"]),
    )


def files_json(files: tuple[FileRef, ...]) -> str:
    """A message's files as the JSON the ``files`` column keeps (bounded, as ``bounded_files`` keeps them)."""
    kept = [{"name": f.name, "url": f.url, "media_type": f.media_type, "size": f.size} for f in bounded_files(files)]
    return json.dumps(kept, ensure_ascii=True, separators=(",", ":"))


def files_from(text: str | None) -> tuple[FileRef, ...]:
    """The files of a ``files`` column (NULL: none); an entry that is not a file's object is passed over."""
    try:
        found = json.loads(text) if text else []
    except ValueError:
        return ()
    files = []
    for item in found if isinstance(found, list) else []:
        name, url, media_type, size = (item.get(key) if isinstance(item, dict) else None for key in _FILE_KEYS)
        if isinstance(name, str) and isinstance(url, str) and isinstance(media_type, str):
            files.append(FileRef(name, url, media_type, size if type(size) is int else None))
    return bounded_files(files)


_FILE_KEYS = ("name", "url", "media_type", "size")


def event_values(event: TicketEvent) -> dict[str, Any]:
    """The row of an audit event."""
    return {"ticket_id": event.ticket, "at": event.at, "actor": event.actor, "kind": event.kind, "detail": event.detail}


def event_from(row: RowMapping) -> TicketEvent:
    """An audit event read back from its row."""
    return TicketEvent(row["ticket_id"], row["at"], row["actor"], row["kind"], row["detail"])


def escalation_values(escalation: Escalation) -> dict[str, Any]:
    """The row of a claimed escalation."""
    return {
        "ticket_id": escalation.ticket,
        "deadline": escalation.deadline.value,
        "level": escalation.level,
        "target": escalation.target,
        "at": escalation.at,
    }


def escalation_from(row: RowMapping) -> Escalation:
    """A claimed escalation read back from its row."""
    return Escalation(row["ticket_id"], Deadline(row["deadline"]), row["level"], row["target"], row["at"])


def fired_escalation(ticket: int, clock: str, level: int, address: str, at: datetime) -> Escalation:
    """An escalation level the SLA worker fired, as the ``escalations`` listing shows it."""
    parts = json.loads(address)
    return Escalation(ticket, Deadline(clock), level, str(Address(*parts)), at)


def delivery_values(platform: str, delivery_id: str, at: datetime) -> dict[str, Any]:
    """The row of a claimed delivery; ids the columns cannot hold whole are refused, never cut.

    Cutting could merge two deliveries whose ids share a prefix, and an empty id would merge every
    delivery that came without one, so both are caller errors.
    """
    if not platform or len(platform) > PLATFORM_LENGTH:
        raise ValueError(f"platform name must be 1 to {PLATFORM_LENGTH} characters, got {len(platform)}")
    if not delivery_id or len(delivery_id) > DELIVERY_ID_LENGTH:
        raise ValueError(f"{platform} delivery id must be 1 to {DELIVERY_ID_LENGTH} characters, got {len(delivery_id)}")
    return {"platform": platform, "delivery_id": delivery_id, "received_at": at}
