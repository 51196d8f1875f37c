"""The booked video calls' table: one row per call, with where its customer is told and when it was reminded."""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, String, Table, Text

from core.store.columns import PLATFORM_LENGTH, UTCDateTime, metadata

IDENTITY_LENGTH = 320  # platform:id, or an account's id

calls = Table(
    "calls",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("holder", String(IDENTITY_LENGTH), nullable=False),
    Column("person", String(IDENTITY_LENGTH), nullable=False),
    Column("platform", String(PLATFORM_LENGTH), nullable=False),
    Column("workspace", String(255), nullable=False),
    Column("channel", String(255), nullable=False),
    Column("thread", String(255), nullable=False),
    Column("ticket_id", Integer, nullable=True),
    Column("tier", String(64), nullable=False),
    Column("start_at", UTCDateTime, nullable=False),
    Column("end_at", UTCDateTime, nullable=False),
    Column("link", Text, nullable=False),
    Column("agent", String(IDENTITY_LENGTH), nullable=True),
    Column("booked_at", UTCDateTime, nullable=False),
    Column("reminded_at", UTCDateTime, nullable=True),
    # Two calls never start together: of two bookings of one slot racing past the overlap check, one fails here.
    Index("ix_calls_start_at", "start_at", unique=True),
    Index("ix_calls_holder", "holder", "start_at"),
    Index("ix_calls_person", "person"),
)
