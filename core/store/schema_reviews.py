"""The QA reviews' table: one row per reviewed ticket, its scores as JSON, the note to the agent."""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, String, Table, Text

from core.store.columns import UTCDateTime, metadata

IDENTITY_LENGTH = 320  # platform:id

reviews = Table(
    "reviews",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("ticket_id", Integer, nullable=False),
    Column("reviewer", String(IDENTITY_LENGTH), nullable=False),
    Column("agent", String(IDENTITY_LENGTH), nullable=True),
    Column("scores", Text, nullable=False),  # JSON: {criterion: score}, the rubric as it was when scored
    Column("note", Text, nullable=False),
    Column("at", UTCDateTime, nullable=False),
    # One review per ticket: of two leads scoring one ticket at once, the second is refused here.
    Index("ix_reviews_ticket_id", "ticket_id", unique=True),
    Index("ix_reviews_agent", "agent"),
    Index("ix_reviews_at", "at"),
)
