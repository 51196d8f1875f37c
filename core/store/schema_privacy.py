"""The privacy audit: every export and erasure of a person's data, kept without the person's identity."""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, String, Table, Text

from core.store.columns import UTCDateTime, metadata

# ``subject`` is the SHA-256 of the identity asked about: the audit proves a request was carried out without
# keeping the very identity it erased.
privacy_audit = Table(
    "privacy_audit",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", UTCDateTime, nullable=False),
    Column("actor", String(255), nullable=False),
    Column("action", String(16), nullable=False),
    Column("subject", String(64), nullable=False),
    Column("detail", Text, nullable=False),  # JSON: what was found or erased, counted by kind
    Index("ix_privacy_audit_subject", "subject"),
    sqlite_autoincrement=True,
)
