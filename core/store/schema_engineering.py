"""Tickets followed by engineering issues: one issue per ticket and one ticket per issue."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, Text

from core.store.columns import UTCDateTime, metadata

engineering_issues = Table(
    "engineering_issues",
    metadata,
    Column("ticket_id", Integer, ForeignKey("tickets.id"), primary_key=True),
    Column("issue", String(600), nullable=False),  # the issue's address: github:owner/name/number
    Column("url", Text, nullable=False),
    Column("by", String(320), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("closed_at", UTCDateTime, nullable=True),
    Index("ux_engineering_issues_issue", "issue", unique=True),
)
