"""The customer health score's history: one score per account and day, unique.

Revision ID: 0019_health
Revises: 0018_intent_examples
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from core.store.columns import UTCDateTime

revision: str = "0019_health"
down_revision: str | None = "0018_intent_examples"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create ``customer_health``, empty: the escalation worker scores every account on its first pass of a day."""
    op.create_table(
        "customer_health",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("account", sa.String(128), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("score", sa.Integer, nullable=False),
        sa.Column("category", sa.String(16), nullable=False),
        sa.Column("missing", sa.String(128), nullable=False),
        sa.Column("computed_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_customer_health"),
        sa.ForeignKeyConstraint(
            ["account"], ["customer_accounts.id"], name="fk_customer_health_account_customer_accounts"
        ),
    )
    op.create_index("ux_customer_health_account_day", "customer_health", ["account", "day"], unique=True)


def downgrade() -> None:
    """Drop it: the score history goes (the scores come back from the next worker pass, without the history)."""
    op.drop_index("ux_customer_health_account_day", "customer_health")
    op.drop_table("customer_health")
