"""The onboarding journeys' table: one row per person, the next step to send and the journey's state."""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, String, Table, Text

from core.store.columns import PLATFORM_LENGTH, UTCDateTime, metadata

PERSON_LENGTH = 320  # an identity, platform:id

customer_journeys = Table(
    "customer_journeys",
    metadata,
    # One journey per person: a second start (a second join, an import) finds the row and keeps it.
    Column("person", String(PERSON_LENGTH), primary_key=True),
    Column("platform", String(PLATFORM_LENGTH), nullable=False),
    Column("workspace", String(255), nullable=False),
    Column("channel", String(255), nullable=False),
    Column("thread", String(255), nullable=False),
    Column("tier", String(64), nullable=False),
    Column("name", Text, nullable=False),
    Column("source", String(32), nullable=False),
    Column("started_at", UTCDateTime, nullable=False),
    Column("step", Integer, nullable=False),
    Column("state", String(16), nullable=False),
    Column("stop_reason", String(16), nullable=True),
    Column("last_sent_at", UTCDateTime, nullable=True),
    Column("updated_at", UTCDateTime, nullable=False),
    Index("ix_customer_journeys_state", "state", "started_at"),
)
