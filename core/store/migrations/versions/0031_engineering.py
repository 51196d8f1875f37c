"""Tickets escalated to engineering, each followed by one tracker issue.

Revision ID: 0031_engineering
Revises: 0030_agents
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from core.store.columns import UTCDateTime

revision: str = "0031_engineering"
down_revision: str | None = "0030_agents"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create ``engineering_issues``, empty."""
    op.create_table(
        "engineering_issues",
        sa.Column("ticket_id", sa.Integer, nullable=False),
        sa.Column("issue", sa.String(600), nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("by", sa.String(320), nullable=False),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.Column("closed_at", UTCDateTime, nullable=True),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], name="fk_engineering_issues_ticket_id_tickets"),
        sa.PrimaryKeyConstraint("ticket_id", name="pk_engineering_issues"),
    )
    op.create_index("ux_engineering_issues_issue", "engineering_issues", ["issue"], unique=True)


def downgrade() -> None:
    """Drop it: the tickets forget their engineering issues (the issues stay on GitHub)."""
    op.drop_index("ux_engineering_issues_issue", "engineering_issues")
    op.drop_table("engineering_issues")
