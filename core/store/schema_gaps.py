"""The knowledge-gap table (the questions the desk could not answer well), on the store's metadata."""

from __future__ import annotations

from sqlalchemy import Column, Float, Index, Integer, String, Table, Text

from core.store.columns import PLATFORM_LENGTH, UTCDateTime, metadata

gap_questions = Table(
    "gap_questions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("platform", String(PLATFORM_LENGTH), nullable=False),
    Column("workspace", String(255), nullable=False),
    Column("channel", String(255), nullable=False),
    Column("thread", String(255), nullable=False),
    Column("person", String(255), nullable=False),  # platform:id of who asked
    Column("tier", String(64), nullable=False),
    Column("question", Text, nullable=False),
    Column("reason", String(32), nullable=False),
    Column("score", Float, nullable=True),  # the best passage's similarity, when the docs were searched
    Column("at", UTCDateTime, nullable=False),
    Index("ix_gap_questions_at", "at"),  # the report's one query: a period's questions by time
    sqlite_autoincrement=True,
)
