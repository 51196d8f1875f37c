"""The spam guard's audit log: one row per action, one per incident whose moderators were told.

Revision ID: 0028_guard
Revises: 0027_reviews
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from core.store.columns import UTCDateTime

revision: str = "0028_guard"
down_revision: str | None = "0027_reviews"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create ``guard_actions`` and ``guard_incidents``, empty."""
    op.create_table(
        "guard_actions",
        sa.Column("id", sa.Integer, nullable=False, autoincrement=True),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.Column("member", sa.String(320), nullable=False),
        sa.Column("place", sa.Text, nullable=False),
        sa.Column("message_id", sa.String(255), nullable=False),
        sa.Column("rule", sa.String(32), nullable=False),
        sa.Column("acts", sa.String(128), nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("incident", sa.String(400), nullable=False),
        sa.Column("notified", sa.Boolean, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_guard_actions"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_guard_actions_member", "guard_actions", ["member", "at"])
    op.create_index("ix_guard_actions_at", "guard_actions", ["at"])
    op.create_table(
        "guard_incidents",
        sa.Column("incident", sa.String(400), nullable=False),
        sa.Column("notified_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("incident", name="pk_guard_incidents"),
    )


def downgrade() -> None:
    """Drop them: the audit of the guard's actions is lost (deleted messages stay deleted)."""
    op.drop_table("guard_incidents")
    for name in ("ix_guard_actions_at", "ix_guard_actions_member"):
        op.drop_index(name, "guard_actions")
    op.drop_table("guard_actions")
