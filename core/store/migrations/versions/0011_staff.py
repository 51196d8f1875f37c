"""The dashboard's staff: accounts, one-time sign-in links, sessions and failed sign-ins.

Revision ID: 0011_staff
Revises: 0010_digest_runs
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from core.store.columns import UTCDateTime

revision: str = "0011_staff"
down_revision: str | None = "0010_digest_runs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _identity() -> list[sa.Column[str]]:
    return [
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("user_id", sa.String(255), nullable=False),
        sa.Column("display_name", sa.String(255), nullable=False),
        sa.Column("roles", sa.Text, nullable=False),
    ]


def upgrade() -> None:
    """Create the four staff tables."""
    op.create_table(
        "staff_accounts",
        sa.Column("name", sa.String(128), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        *_identity(),
        sa.Column("password_hash", sa.Text, nullable=True),
        sa.Column("disabled", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_staff_accounts"),
        sa.UniqueConstraint("platform", "user_id", name="uq_staff_accounts_platform_user_id"),
    )
    op.create_table(
        "staff_sign_in_links",
        sa.Column("token_hash", sa.String(64), nullable=False),
        *_identity(),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("expires_at", UTCDateTime, nullable=False),
        sa.Column("used_at", UTCDateTime, nullable=True),
        sa.PrimaryKeyConstraint("token_hash", name="pk_staff_sign_in_links"),
    )
    op.create_table(
        "staff_sessions",
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("account", sa.String(128), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        *_identity(),
        sa.Column("csrf_token", sa.String(64), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("expires_at", UTCDateTime, nullable=False),
        sa.Column("revoked_at", UTCDateTime, nullable=True),
        sa.PrimaryKeyConstraint("token_hash", name="pk_staff_sessions"),
    )
    op.create_index("ix_staff_sessions_account", "staff_sessions", ["account"])
    op.create_table(
        "staff_sign_in_failures",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("key", sa.String(320), nullable=False),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_staff_sign_in_failures"),
    )
    op.create_index("ix_staff_sign_in_failures_key_at", "staff_sign_in_failures", ["key", "at"])


def downgrade() -> None:
    """Drop them: every account, link and session goes."""
    op.drop_index("ix_staff_sign_in_failures_key_at", "staff_sign_in_failures")
    op.drop_table("staff_sign_in_failures")
    op.drop_index("ix_staff_sessions_account", "staff_sessions")
    op.drop_table("staff_sessions")
    op.drop_table("staff_sign_in_links")
    op.drop_table("staff_accounts")
