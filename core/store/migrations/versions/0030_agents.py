"""Routing's run-time state: agents away or back, when each was last assigned, and leads' changes.

Revision ID: 0030_agents
Revises: 0028_guard
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from core.store.columns import UTCDateTime

revision: str = "0030_agents"
down_revision: str | None = "0028_guard"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create ``agent_presence``, empty: everyone is available and nobody was assigned yet."""
    op.create_table(
        "agent_presence",
        sa.Column("identity", sa.String(320), nullable=False),
        sa.Column("away", sa.Boolean, nullable=False),
        sa.Column("changed_at", UTCDateTime, nullable=True),
        sa.Column("last_assigned_at", UTCDateTime, nullable=True),
        sa.Column("capacity", sa.Integer, nullable=True),
        sa.Column("skills", sa.Text, nullable=True),
        sa.PrimaryKeyConstraint("identity", name="pk_agent_presence"),
    )


def downgrade() -> None:
    """Drop it: everyone counts as available again."""
    op.drop_table("agent_presence")
