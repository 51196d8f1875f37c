"""QA reviews: one row per reviewed ticket, its rubric scores and the note to its agent.

Revision ID: 0027_reviews
Revises: 0026_originals
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from core.store.columns import UTCDateTime

revision: str = "0027_reviews"
down_revision: str | None = "0026_originals"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create ``reviews``, empty."""
    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer, nullable=False, autoincrement=True),
        sa.Column("ticket_id", sa.Integer, nullable=False),
        sa.Column("reviewer", sa.String(320), nullable=False),
        sa.Column("agent", sa.String(320), nullable=True),
        sa.Column("scores", sa.Text, nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_reviews"),
    )
    op.create_index("ix_reviews_ticket_id", "reviews", ["ticket_id"], unique=True)
    op.create_index("ix_reviews_agent", "reviews", ["agent"])
    op.create_index("ix_reviews_at", "reviews", ["at"])


def downgrade() -> None:
    """Drop it: every review and its scores are forgotten (notes already sent stay sent)."""
    for name in ("ix_reviews_at", "ix_reviews_agent", "ix_reviews_ticket_id"):
        op.drop_index(name, "reviews")
    op.drop_table("reviews")
