"""Self-service resolutions keyed by the answer voted on: one per answer, the customer's last vote standing.

Resolutions counted before keep their rows (with no answer named, each still counts once).

Revision ID: 0005_answer_votes
Revises: 0004_sla
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_answer_votes"
down_revision: str | None = "0004_sla"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_KEY = ["platform", "workspace", "channel", "thread", "answer"]


def upgrade() -> None:
    """Name the answer of each resolution, unique within its thread."""
    op.add_column("deflections", sa.Column("answer", sa.String(64), nullable=True))
    op.create_index("ix_deflections_answer", "deflections", _KEY, unique=True)


def downgrade() -> None:
    """Drop the answer column; every counted resolution keeps its row."""
    op.drop_index("ix_deflections_answer", table_name="deflections")
    op.drop_column("deflections", "answer")
