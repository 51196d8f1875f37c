"""Jobs remember their conversation, so the messages of one thread are handled in the order they came.

Existing jobs get the empty conversation (no order among them, as before); new ones carry it.

Revision ID: 0007_job_order
Revises: 0006_ticket_language
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_job_order"
down_revision: str | None = "0006_ticket_language"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the jobs' conversation and the index the "is an older job of it pending?" check reads."""
    op.add_column("jobs", sa.Column("conversation", sa.String(255), nullable=False, server_default=""))
    op.create_index("ix_jobs_conversation", "jobs", ["queue", "conversation", "status", "id"])


def downgrade() -> None:
    """Drop the conversation again; the jobs themselves are kept."""
    op.drop_index("ix_jobs_conversation", table_name="jobs")
    with op.batch_alter_table("jobs") as batch:
        batch.drop_column("conversation")
