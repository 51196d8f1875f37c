"""Votes per thread and passage (answer_feedback), and the passage an answer quoted (messages.citation_passage).

Revision ID: 0013_answer_feedback
Revises: 0012_message_files
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from core.store.columns import UTCDateTime

revision: str = "0013_answer_feedback"
down_revision: str | None = "0012_message_files"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the votes table and give kept answers the passage they quoted (NULL for older answers)."""
    op.create_table(
        "answer_feedback",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("workspace", sa.String(255), nullable=False),
        sa.Column("channel", sa.String(255), nullable=False),
        sa.Column("thread", sa.String(255), nullable=False),
        sa.Column("passage", sa.String(255), nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("vote", sa.String(16), nullable=False),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_answer_feedback"),
        sa.UniqueConstraint(
            "platform",
            "workspace",
            "channel",
            "thread",
            "passage",
            name="uq_answer_feedback_platform_workspace_channel_thread_passage",
        ),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_answer_feedback_passage", "answer_feedback", ["passage"])
    op.create_index("ix_answer_feedback_at", "answer_feedback", ["at"])
    op.add_column("messages", sa.Column("citation_passage", sa.String(255), nullable=True))


def downgrade() -> None:
    """Drop them: every vote goes, and answers forget which passage they quoted."""
    op.drop_column("messages", "citation_passage")
    op.drop_index("ix_answer_feedback_at", "answer_feedback")
    op.drop_index("ix_answer_feedback_passage", "answer_feedback")
    op.drop_table("answer_feedback")
