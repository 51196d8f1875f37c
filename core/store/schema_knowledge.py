"""The knowledge tables (customers' votes on the passages they were answered with), on the store's metadata."""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, String, Table, Text, UniqueConstraint

from core.store.columns import PLATFORM_LENGTH, UTCDateTime, metadata

PASSAGE_LENGTH = 255

# One row per thread and passage: the unique constraint, not the caller, makes a second press a change.
answer_feedback = Table(
    "answer_feedback",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("platform", String(PLATFORM_LENGTH), nullable=False),
    Column("workspace", String(255), nullable=False),
    Column("channel", String(255), nullable=False),
    Column("thread", String(255), nullable=False),
    Column("passage", String(PASSAGE_LENGTH), nullable=False),
    Column("url", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("question", Text, nullable=False),
    Column("vote", String(16), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    UniqueConstraint("platform", "workspace", "channel", "thread", "passage"),
    Index("ix_answer_feedback_passage", "passage"),
    Index("ix_answer_feedback_at", "at"),
    sqlite_autoincrement=True,
)
