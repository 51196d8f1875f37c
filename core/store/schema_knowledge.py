"""The knowledge tables: customers' votes on the passages they were answered with, and the articles people write."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint

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

# The articles people write and review (core/knowledge/articles.py): one row each, with its newest state.
kb_articles = Table(
    "kb_articles",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("doc_id", String(PASSAGE_LENGTH), nullable=False, unique=True),
    Column("title", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("state", String(16), nullable=False),
    Column("origin", String(16), nullable=False),
    Column("version", Integer, nullable=False),
    Column("live_version", Integer, nullable=True),
    Column("author", String(255), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("ticket", Integer, nullable=True),
    Column("source", Text, nullable=True),
    Column("url", Text, nullable=True),
    Index("ix_kb_articles_state", "state"),
    sqlite_autoincrement=True,
)

# Every saved text of an article; the live one is named by kb_articles.live_version.
kb_article_versions = Table(
    "kb_article_versions",
    metadata,
    Column("article", Integer, ForeignKey("kb_articles.id", ondelete="CASCADE"), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("title", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("author", String(255), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("note", Text, nullable=False),
)

# The audit log: who did what to an article, when.
kb_article_events = Table(
    "kb_article_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("article", Integer, ForeignKey("kb_articles.id", ondelete="CASCADE"), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("actor", String(255), nullable=False),
    Column("action", String(32), nullable=False),
    Column("detail", Text, nullable=False),
    Index("ix_kb_article_events_article", "article"),
    sqlite_autoincrement=True,
)

# Other ways customers asked what an article answers; the key (the words, case and spacing ignored) is unique.
kb_phrasings = Table(
    "kb_phrasings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("doc_id", String(PASSAGE_LENGTH), nullable=False),
    Column("question", Text, nullable=False),
    Column("key", String(255), nullable=False),
    Column("ticket", Integer, nullable=True),
    Column("actor", String(255), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    UniqueConstraint("doc_id", "key"),
    sqlite_autoincrement=True,
)
