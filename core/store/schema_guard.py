"""The spam guard's tables: one row per action it took, and one per incident whose moderators were told."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Index, Integer, String, Table, Text

from core.store.columns import UTCDateTime, metadata

IDENTITY_LENGTH = 320  # platform:id
INCIDENT_LENGTH = 400  # platform:id@ISO time

guard_actions = Table(
    "guard_actions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", UTCDateTime, nullable=False),
    Column("member", String(IDENTITY_LENGTH), nullable=False),
    Column("place", Text, nullable=False),
    Column("message_id", String(255), nullable=False),
    Column("rule", String(32), nullable=False),
    Column("acts", String(128), nullable=False),  # comma-separated, e.g. "delete,hide,notify,timeout"
    Column("evidence", Text, nullable=False),
    Column("incident", String(INCIDENT_LENGTH), nullable=False),
    Column("notified", Boolean, nullable=False),
    Index("ix_guard_actions_member", "member", "at"),
    Index("ix_guard_actions_at", "at"),
    sqlite_autoincrement=True,
)

# The moderators hear of an incident once: of two workers judging one burst, the second insert fails here.
guard_incidents = Table(
    "guard_incidents",
    metadata,
    Column("incident", String(INCIDENT_LENGTH), primary_key=True),
    Column("notified_at", UTCDateTime, nullable=False),
)
