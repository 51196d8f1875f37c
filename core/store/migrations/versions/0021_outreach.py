"""Proactive outreach: each playbook's occurrences once per account, and the account's outreach timeline.

Revision ID: 0021_outreach
Revises: 0020_privacy_audit
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from core.store.columns import UTCDateTime

revision: str = "0021_outreach"
down_revision: str | None = "0020_privacy_audit"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create ``outreach_occurrences`` and ``outreach_records``, empty: the worker's pass finds what is due."""
    op.create_table(
        "outreach_occurrences",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("account", sa.String(128), nullable=False),
        sa.Column("playbook", sa.String(64), nullable=False),
        sa.Column("trigger", sa.String(32), nullable=False),
        sa.Column("occurrence", sa.String(128), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_outreach_occurrences"),
        sa.ForeignKeyConstraint(
            ["account"], ["customer_accounts.id"], name="fk_outreach_occurrences_account_customer_accounts"
        ),
    )
    op.create_index(
        "ux_outreach_occurrences_key", "outreach_occurrences", ["account", "playbook", "occurrence"], unique=True
    )
    op.create_table(
        "outreach_records",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("occurrence_id", sa.Integer, nullable=False),
        sa.Column("account", sa.String(128), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("audience", sa.String(16), nullable=False),
        sa.Column("target", sa.Text, nullable=True),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.Column("due_at", UTCDateTime, nullable=True),
        sa.Column("sent_at", UTCDateTime, nullable=True),
        sa.Column("address", sa.Text, nullable=True),
        sa.Column("payload", sa.Text, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_outreach_records"),
        sa.ForeignKeyConstraint(
            ["occurrence_id"],
            ["outreach_occurrences.id"],
            name="fk_outreach_records_occurrence_id_outreach_occurrences",
        ),
        sa.ForeignKeyConstraint(
            ["account"], ["customer_accounts.id"], name="fk_outreach_records_account_customer_accounts"
        ),
    )
    op.create_index("ix_outreach_records_account_at", "outreach_records", ["account", "at"])
    op.create_index("ix_outreach_records_status_due", "outreach_records", ["status", "due_at"])


def downgrade() -> None:
    """Drop them: the timeline goes, and the next passes may run a playbook again for what is still due."""
    op.drop_index("ix_outreach_records_status_due", "outreach_records")
    op.drop_index("ix_outreach_records_account_at", "outreach_records")
    op.drop_table("outreach_records")
    op.drop_index("ux_outreach_occurrences_key", "outreach_occurrences")
    op.drop_table("outreach_occurrences")
