"""The weekly digest's claims: one row per period posted, so several workers post it once.

Revision ID: 0010_digest_runs
Revises: 0009_report_indexes
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_digest_runs"
down_revision: str | None = "0009_report_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the table of claimed digest periods."""
    op.create_table(
        "digest_runs",
        sa.Column("period_key", sa.String(64), primary_key=True),
        sa.Column("owner", sa.String(128), nullable=False),
        sa.Column("claimed_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    """Drop it; the digests already posted stay in the outbox."""
    op.drop_table("digest_runs")
