"""Sealed originals of redacted messages (``privacy.keep_originals``), for leads to open, audited.

Revision ID: 0026_originals
Revises: 0025_calls
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from core.store.columns import UTCDateTime

revision: str = "0026_originals"
down_revision: str | None = "0025_calls"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_INDEXES = {
    "ix_message_originals_thread": ["platform", "workspace", "channel", "thread"],
    "ix_message_originals_author": ["author"],
    "ix_message_originals_at": ["at"],
}


def upgrade() -> None:
    """Create ``message_originals``, empty."""
    op.create_table(
        "message_originals",
        sa.Column("id", sa.Integer, nullable=False, autoincrement=True),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("workspace", sa.String(255), nullable=False),
        sa.Column("channel", sa.String(255), nullable=False),
        sa.Column("thread", sa.String(255), nullable=False),
        sa.Column("message_id", sa.String(255), nullable=False),
        sa.Column("author", sa.String(320), nullable=False),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.Column("kinds", sa.String(255), nullable=False),
        sa.Column("sealed", sa.LargeBinary, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_message_originals"),
    )
    for name, columns in _INDEXES.items():
        op.create_index(name, "message_originals", columns)


def downgrade() -> None:
    """Drop it: every kept original is gone (the redacted conversation stays)."""
    for name in _INDEXES:
        op.drop_index(name, "message_originals")
    op.drop_table("message_originals")
