"""The knowledge base's articles: their rows, versions, audit log and the phrasings kept for them.

Revision ID: 0014_articles
Revises: 0013_answer_feedback
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from core.store.columns import UTCDateTime

revision: str = "0014_articles"
down_revision: str | None = "0013_answer_feedback"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the four tables (articles added in chat before them are imported by the desk, from kb.sqlite3)."""
    op.create_table(
        "kb_articles",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("doc_id", sa.String(255), nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("origin", sa.String(16), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("live_version", sa.Integer, nullable=True),
        sa.Column("author", sa.String(255), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.Column("ticket", sa.Integer, nullable=True),
        sa.Column("source", sa.Text, nullable=True),
        sa.Column("url", sa.Text, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_kb_articles"),
        sa.UniqueConstraint("doc_id", name="uq_kb_articles_doc_id"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_kb_articles_state", "kb_articles", ["state"])
    op.create_table(
        "kb_article_versions",
        sa.Column("article", sa.Integer, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("author", sa.String(255), nullable=False),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.ForeignKeyConstraint(
            ["article"], ["kb_articles.id"], name="fk_kb_article_versions_article_kb_articles", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("article", "version", name="pk_kb_article_versions"),
    )
    op.create_table(
        "kb_article_events",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("article", sa.Integer, nullable=False),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.Column("actor", sa.String(255), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.ForeignKeyConstraint(
            ["article"], ["kb_articles.id"], name="fk_kb_article_events_article_kb_articles", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_kb_article_events"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_kb_article_events_article", "kb_article_events", ["article"])
    op.create_table(
        "kb_phrasings",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("doc_id", sa.String(255), nullable=False),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("ticket", sa.Integer, nullable=True),
        sa.Column("actor", sa.String(255), nullable=False),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_kb_phrasings"),
        sa.UniqueConstraint("doc_id", "key", name="uq_kb_phrasings_doc_id_key"),
        sqlite_autoincrement=True,
    )


def downgrade() -> None:
    """Drop them: every article written in Helpline, its versions, log and phrasings go."""
    op.drop_table("kb_phrasings")
    op.drop_index("ix_kb_article_events_article", "kb_article_events")
    op.drop_table("kb_article_events")
    op.drop_table("kb_article_versions")
    op.drop_index("ix_kb_articles_state", "kb_articles")
    op.drop_table("kb_articles")
