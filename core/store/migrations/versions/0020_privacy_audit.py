"""The privacy audit: exports and erasures of a person's data, by the SHA-256 of the identity.

Revision ID: 0020_privacy_audit
Revises: 0019_health
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from core.store.columns import UTCDateTime

revision: str = "0020_privacy_audit"
down_revision: str | None = "0019_health"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create ``privacy_audit``, empty."""
    op.create_table(
        "privacy_audit",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.Column("actor", sa.String(255), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("subject", sa.String(64), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_privacy_audit"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_privacy_audit_subject", "privacy_audit", ["subject"])


def downgrade() -> None:
    """Drop it: the record of past exports and erasures goes (the erasures themselves stay done)."""
    op.drop_index("ix_privacy_audit_subject", "privacy_audit")
    op.drop_table("privacy_audit")
