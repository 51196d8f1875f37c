"""Tickets keep the customer's language and whether they wrote in frustration.

Existing tickets get an empty language (unknown) and ``frustrated`` false: nothing was measured then.

Revision ID: 0006_ticket_language
Revises: 0005_answer_votes
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_ticket_language"
down_revision: str | None = "0005_answer_votes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the two columns with defaults, so every existing row stays valid."""
    op.add_column("tickets", sa.Column("language", sa.String(16), nullable=False, server_default=""))
    op.add_column("tickets", sa.Column("frustrated", sa.Boolean, nullable=False, server_default=sa.false()))


def downgrade() -> None:
    """Drop the two columns; tickets keep every row."""
    op.drop_column("tickets", "frustrated")
    op.drop_column("tickets", "language")
