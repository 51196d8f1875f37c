"""The questions the desk could not answer well (gap_questions), for the knowledge-gap report.

Revision ID: 0017_gap_questions
Revises: 0016_feature_requests
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from core.store.columns import UTCDateTime

revision: str = "0017_gap_questions"
# Branches merged at the same time re-chain this onto the newest revision.
down_revision: str | None = "0016_feature_requests"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the table; questions asked before it are not known to it."""
    op.create_table(
        "gap_questions",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("workspace", sa.String(255), nullable=False),
        sa.Column("channel", sa.String(255), nullable=False),
        sa.Column("thread", sa.String(255), nullable=False),
        sa.Column("person", sa.String(255), nullable=False),
        sa.Column("tier", sa.String(64), nullable=False),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("reason", sa.String(32), nullable=False),
        sa.Column("score", sa.Float, nullable=True),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_gap_questions"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_gap_questions_at", "gap_questions", ["at"])


def downgrade() -> None:
    """Drop it: the gap report then has no questions."""
    op.drop_index("ix_gap_questions_at", "gap_questions")
    op.drop_table("gap_questions")
