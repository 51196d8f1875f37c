"""Kept messages keep the files sent with them, as references (name, URL, media type, size) in JSON.

Existing messages get NULL: no files were kept before.

Revision ID: 0012_message_files
Revises: 0011_staff
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_message_files"
down_revision: str | None = "0011_staff"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the nullable column, so every existing row stays valid."""
    op.add_column("messages", sa.Column("files", sa.Text, nullable=True))


def downgrade() -> None:
    """Drop the column: messages keep their text, the file references go."""
    op.drop_column("messages", "files")
