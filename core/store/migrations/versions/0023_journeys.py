"""Onboarding journeys: one row per person with the next step to send and the journey's state.

Revision ID: 0023_journeys
Revises: 0022_request_github
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from core.store.columns import UTCDateTime

revision: str = "0023_journeys"
down_revision: str | None = "0022_request_github"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create ``customer_journeys``, empty: journeys start as people first appear from now on."""
    op.create_table(
        "customer_journeys",
        sa.Column("person", sa.String(320), nullable=False),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("workspace", sa.String(255), nullable=False),
        sa.Column("channel", sa.String(255), nullable=False),
        sa.Column("thread", sa.String(255), nullable=False),
        sa.Column("tier", sa.String(64), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("started_at", UTCDateTime, nullable=False),
        sa.Column("step", sa.Integer, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("stop_reason", sa.String(16), nullable=True),
        sa.Column("last_sent_at", UTCDateTime, nullable=True),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("person", name="pk_customer_journeys"),
    )
    op.create_index("ix_customer_journeys_state", "customer_journeys", ["state", "started_at"])


def downgrade() -> None:
    """Drop it: every journey's progress goes (nobody is sent a step again until they first appear anew)."""
    op.drop_index("ix_customer_journeys_state", "customer_journeys")
    op.drop_table("customer_journeys")
