"""Notifications as JSON for the outbox (never pickled), and read back."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import timedelta
from typing import Any

from core.community.records import Enforcement
from core.messages import (
    Action,
    Address,
    Attachment,
    Choice,
    Citation,
    Destination,
    Mention,
    Outbound,
    Reply,
    ReplyKind,
)


def reply_json(reply: Reply) -> str:
    """A reply as JSON."""
    data: dict[str, Any] = {
        "kind": reply.kind.value,
        "text": reply.text,
        "citation": [reply.citation.title, reply.citation.url] if reply.citation else None,
        "choices": [[c.label, c.action.value, c.ticket, c.score] for c in reply.choices],
        "destination": reply.destination.value,
        "intent": reply.intent,
        "ticket": reply.ticket,
        "origin": _address_list(reply.origin) if reply.origin is not None else None,
        "mentions": [str(m) for m in reply.mentions],
        # Bytes as base64 text, so the row stays JSON (a chart of a few kB grows by a third).
        "attachments": [[a.name, a.media_type, base64.b64encode(a.data).decode("ascii")] for a in reply.attachments],
        "enforcement": _enforcement_list(reply.enforcement),
    }
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def reply_from(payload: str) -> Reply:
    """A reply read back from ``reply_json``."""
    data = json.loads(payload)
    citation = data["citation"]
    return Reply(
        ReplyKind(data["kind"]),
        data["text"],
        Citation(*citation) if citation else None,
        tuple(_choice(*item) for item in data["choices"]),
        Destination(data["destination"]),
        data["intent"],
        data["ticket"],
        Address(*data["origin"]) if data["origin"] else None,
        tuple(Mention.parse(m) for m in data["mentions"]),
        tuple(_attachment(*item) for item in data.get("attachments", ())),  # rows written before files had none
        _enforcement(data.get("enforcement")),
    )


def _enforcement_list(order: Enforcement | None) -> list[Any] | None:
    if order is None:
        return None
    return [order.rule, order.delete, order.timeout.total_seconds() if order.timeout is not None else None]


def _enforcement(item: list[Any] | None) -> Enforcement | None:
    if not item:
        return None
    rule, delete, seconds = item
    return Enforcement(rule, delete, timedelta(seconds=seconds) if seconds is not None else None)


def _choice(label: str, action: str, ticket: int | None, score: int | None = None) -> Choice:
    # Rows written before ratings went through the outbox have no score.
    return Choice(label, Action(action), ticket, score)


def _attachment(name: str, media_type: str, encoded: str) -> Attachment:
    try:
        return Attachment(name, media_type, base64.b64decode(encoded, validate=True))
    except (binascii.Error, ValueError) as exc:
        raise ValueError(f"outbox attachment {name!r} is not valid base64: {exc}") from None


def _address_list(address: Address) -> list[str]:
    # All four parts: the string form cannot always be parsed back (a workspace without a thread).
    return [address.platform, address.workspace, address.channel, address.thread]


def outbound_values(outbound: Outbound) -> dict[str, str]:
    """The address and payload columns of an outbox row."""
    return {"address": json.dumps(_address_list(outbound.address)), "payload": reply_json(outbound.reply)}


def outbound_from(address: str, payload: str) -> Outbound:
    """An outbox row's notification."""
    return Outbound(Address(*json.loads(address)), reply_from(payload))
