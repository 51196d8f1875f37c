"""Satisfaction surveys get a table of their own: one CSAT survey per ticket, one NPS question per person a day.

Revision ID: 0008_surveys
Revises: 0007_job_order
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from core.store.schema import UTCDateTime

revision: str = "0008_surveys"
down_revision: str | None = "0007_job_order"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create ``surveys`` with the unique indexes that decide races and the indexes its reads use."""
    op.create_table(
        "surveys",
        sa.Column("id", sa.Integer, autoincrement=True),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("ticket_id", sa.Integer, nullable=True),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("workspace", sa.String(255), nullable=False),
        sa.Column("channel", sa.String(255), nullable=False),
        sa.Column("thread", sa.String(255), nullable=False),
        sa.Column("person", sa.String(255), nullable=False),
        sa.Column("tier", sa.String(64), nullable=False),
        sa.Column("agent", sa.String(255), nullable=True),
        sa.Column("sent_at", UTCDateTime, nullable=False),
        sa.Column("sent_day", sa.String(10), nullable=False),
        sa.Column("score", sa.Integer, nullable=True),
        sa.Column("comment", sa.Text, nullable=False, server_default=""),
        sa.Column("answered_at", UTCDateTime, nullable=True),
        sa.Column("updated_at", UTCDateTime, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_surveys")),
        sqlite_autoincrement=True,
    )
    csat, nps = sa.text("kind = 'csat'"), sa.text("kind = 'nps'")
    op.create_index(
        "ix_surveys_csat_ticket", "surveys", ["ticket_id"], unique=True, sqlite_where=csat, postgresql_where=csat
    )
    op.create_index(
        "ix_surveys_nps_day",
        "surveys",
        ["platform", "person", "sent_day"],
        unique=True,
        sqlite_where=nps,
        postgresql_where=nps,
    )
    op.create_index("ix_surveys_sent_at", "surveys", ["sent_at"])
    op.create_index("ix_surveys_person", "surveys", ["kind", "platform", "person", "sent_at"])


def downgrade() -> None:
    """Drop the surveys and their answers."""
    op.drop_table("surveys")
