"""The incidents' tables: incidents, their updates, linked tickets, and one row per notice sent about them."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, String, Table, Text

from core.store.columns import UTCDateTime, metadata

IDENTITY_LENGTH = 320  # platform:id
KEY_LENGTH = 128

incidents = Table(
    "incidents",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("title", Text, nullable=False),
    Column("severity", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("opened_by", String(IDENTITY_LENGTH), nullable=False),
    Column("opened_at", UTCDateTime, nullable=False),
    Column("resolved_at", UTCDateTime, nullable=True),
    Index("ix_incidents_status", "status"),
    sqlite_autoincrement=True,
)

incident_updates = Table(
    "incident_updates",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("incident_id", Integer, ForeignKey("incidents.id"), nullable=False),
    Column("text", Text, nullable=False),
    Column("author", String(IDENTITY_LENGTH), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("resolution", Boolean, nullable=False),
    Index("ix_incident_updates_incident_id", "incident_id"),
    sqlite_autoincrement=True,
)

# A ticket joins an incident once: the primary key keeps a second link (or a racing one) out.
incident_tickets = Table(
    "incident_tickets",
    metadata,
    Column("incident_id", Integer, ForeignKey("incidents.id"), primary_key=True),
    Column("ticket_id", Integer, ForeignKey("tickets.id"), primary_key=True),
    Column("linked_by", String(IDENTITY_LENGTH), nullable=False),
    Column("linked_at", UTCDateTime, nullable=False),
    Index("ix_incident_tickets_ticket_id", "ticket_id"),
)

# One notice per incident, ticket and key ("update:7", "reminder:3"): a retry or a second worker finds the row.
incident_deliveries = Table(
    "incident_deliveries",
    metadata,
    Column("incident_id", Integer, ForeignKey("incidents.id"), primary_key=True),
    Column("ticket_id", Integer, ForeignKey("tickets.id"), primary_key=True),
    Column("key", String(KEY_LENGTH), primary_key=True),
    Column("queued_at", UTCDateTime, nullable=False),
)

# One proposal per key (the first similar ticket of a burst): the staff channel is asked once.
incident_proposals = Table(
    "incident_proposals",
    metadata,
    Column("key", String(KEY_LENGTH), primary_key=True),
    Column("proposed_at", UTCDateTime, nullable=False),
)
