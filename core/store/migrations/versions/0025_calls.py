"""Booked video calls: one row per call, its meeting link, and when its reminder went.

Revision ID: 0025_calls
Revises: 0024_incidents
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from core.store.columns import UTCDateTime

revision: str = "0025_calls"
down_revision: str | None = "0024_incidents"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create ``calls``, empty."""
    op.create_table(
        "calls",
        sa.Column("id", sa.Integer, nullable=False, autoincrement=True),
        sa.Column("holder", sa.String(320), nullable=False),
        sa.Column("person", sa.String(320), nullable=False),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("workspace", sa.String(255), nullable=False),
        sa.Column("channel", sa.String(255), nullable=False),
        sa.Column("thread", sa.String(255), nullable=False),
        sa.Column("ticket_id", sa.Integer, nullable=True),
        sa.Column("tier", sa.String(64), nullable=False),
        sa.Column("start_at", UTCDateTime, nullable=False),
        sa.Column("end_at", UTCDateTime, nullable=False),
        sa.Column("link", sa.Text, nullable=False),
        sa.Column("agent", sa.String(320), nullable=True),
        sa.Column("booked_at", UTCDateTime, nullable=False),
        sa.Column("reminded_at", UTCDateTime, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_calls"),
    )
    op.create_index("ix_calls_start_at", "calls", ["start_at"], unique=True)
    op.create_index("ix_calls_holder", "calls", ["holder", "start_at"])
    op.create_index("ix_calls_person", "calls", ["person"])


def downgrade() -> None:
    """Drop it: every booked call is forgotten (their meeting links stay valid at the provider)."""
    for name in ("ix_calls_person", "ix_calls_holder", "ix_calls_start_at"):
        op.drop_index(name, "calls")
    op.drop_table("calls")
