"""The privacy audit: every export and erasure of a person's data, kept without the person's identity."""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, LargeBinary, String, Table, Text

from core.store.columns import PLATFORM_LENGTH, UTCDateTime, metadata

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

# What a customer typed before redaction, sealed with ``HELPLINE_ORIGINALS_KEY`` (``privacy.keep_originals``):
# by thread, so a ticket's originals are found by its conversation, and by author, so erasure reaches them.
message_originals = Table(
    "message_originals",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("platform", String(PLATFORM_LENGTH), nullable=False),
    Column("workspace", String(255), nullable=False),
    Column("channel", String(255), nullable=False),
    Column("thread", String(255), nullable=False),
    Column("message_id", String(255), nullable=False),
    Column("author", String(320), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("kinds", String(255), nullable=False),  # what was removed, comma-separated
    Column("sealed", LargeBinary, nullable=False),
    Index("ix_message_originals_thread", "platform", "workspace", "channel", "thread"),
    Index("ix_message_originals_author", "author"),
    Index("ix_message_originals_at", "at"),
)
