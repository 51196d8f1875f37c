"""Routing's run-time state: one row per agent who was away, assigned automatically or changed by a lead."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Integer, String, Table, Text

from core.store.columns import UTCDateTime, metadata

agent_presence = Table(
    "agent_presence",
    metadata,
    Column("identity", String(320), primary_key=True),  # platform:id, as tickets name their assignee
    Column("away", Boolean, nullable=False),
    Column("changed_at", UTCDateTime, nullable=True),  # when they last went away or came back
    Column("last_assigned_at", UTCDateTime, nullable=True),
    # A lead's changes in chat (``agent NAME capacity N``, ``agent NAME skills …``); NULL: the settings' value.
    Column("capacity", Integer, nullable=True),
    Column("skills", Text, nullable=True),  # comma-separated; "" means any ticket
)
