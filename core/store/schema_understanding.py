"""The understanding tables (moderators' intent corrections as labelled examples), on the store's metadata."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, Text

from core.store.columns import UTCDateTime, metadata

# One row per ticket: the primary key on the ticket, not the caller, makes a second correction a replacement.
intent_examples = Table(
    "intent_examples",
    metadata,
    Column("ticket_id", Integer, ForeignKey("tickets.id"), primary_key=True, autoincrement=False),
    Column("text", Text, nullable=False),
    Column("intent", String(128), nullable=False),
    Column("actor", String(255), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Index("ix_intent_examples_at", "at"),
)
