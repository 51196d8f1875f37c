"""Initial schema: tickets, their events, messages, escalations and deflections.

Revision ID: 0001
Revises:
Create Date: 2026-05-09
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _address() -> list[sa.Column[str]]:
    return [
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("workspace", sa.String(255), nullable=False),
        sa.Column("channel", sa.String(255), nullable=False),
        sa.Column("thread", sa.String(255), nullable=False),
    ]


def _when(name: str, *, nullable: bool = False) -> sa.Column[datetime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    """Create every table, constraint and index of the first schema."""
    op.create_table(
        "tickets",
        sa.Column("id", sa.Integer, nullable=False, autoincrement=True),
        sa.Column("customer", sa.String(255), nullable=False),
        sa.Column("tier", sa.String(64), nullable=False),
        *_address(),
        sa.Column("requester_id", sa.String(255), nullable=False),
        sa.Column("requester_name", sa.String(255), nullable=False),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("intent", sa.String(128), nullable=True),
        sa.Column("priority", sa.String(16), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("assignee", sa.String(255), nullable=True),
        _when("created_at"),
        _when("updated_at"),
        _when("first_response_due", nullable=True),
        _when("resolution_due", nullable=True),
        _when("first_response_at", nullable=True),
        _when("resolved_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tickets")),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_tickets_thread", "tickets", ["platform", "workspace", "channel", "thread"])
    op.create_index("ix_tickets_status", "tickets", ["status"])

    op.create_table(
        "ticket_events",
        sa.Column("id", sa.Integer, nullable=False, autoincrement=True),
        sa.Column("ticket_id", sa.Integer, nullable=False),
        _when("at"),
        sa.Column("actor", sa.String(255), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticket_events")),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], name=op.f("fk_ticket_events_ticket_id_tickets")),
    )
    op.create_index("ix_ticket_events_ticket_id", "ticket_events", ["ticket_id"])

    op.create_table(
        "messages",
        sa.Column("id", sa.Integer, nullable=False, autoincrement=True),
        *_address(),
        sa.Column("ticket_id", sa.Integer, nullable=True),
        sa.Column("author_id", sa.String(255), nullable=False),
        sa.Column("author_name", sa.String(255), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("raw", sa.LargeBinary, nullable=False),
        sa.Column("intent", sa.String(128), nullable=True),
        sa.Column("citation_title", sa.Text, nullable=True),
        sa.Column("citation_url", sa.Text, nullable=True),
        sa.Column("external_id", sa.String(255), nullable=True),
        _when("at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_messages")),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], name=op.f("fk_messages_ticket_id_tickets")),
        sa.UniqueConstraint("platform", "external_id", name=op.f("uq_messages_platform_external_id")),
    )
    op.create_index("ix_messages_thread", "messages", ["platform", "workspace", "channel", "thread"])
    op.create_index("ix_messages_ticket_id", "messages", ["ticket_id"])

    op.create_table(
        "escalations",
        sa.Column("id", sa.Integer, nullable=False, autoincrement=True),
        sa.Column("ticket_id", sa.Integer, nullable=False),
        sa.Column("deadline", sa.String(32), nullable=False),
        sa.Column("level", sa.Integer, nullable=False),
        sa.Column("target", sa.String(255), nullable=False),
        _when("at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_escalations")),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], name=op.f("fk_escalations_ticket_id_tickets")),
        sa.UniqueConstraint("ticket_id", "deadline", "level", name=op.f("uq_escalations_ticket_id_deadline_level")),
    )

    op.create_table(
        "deflections",
        sa.Column("id", sa.Integer, nullable=False, autoincrement=True),
        *_address(),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        _when("at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deflections")),
    )


def downgrade() -> None:
    """Drop everything, children before the tickets they point at."""
    op.drop_table("deflections")
    op.drop_table("escalations")
    op.drop_index("ix_messages_ticket_id", table_name="messages")
    op.drop_index("ix_messages_thread", table_name="messages")
    op.drop_table("messages")
    op.drop_index("ix_ticket_events_ticket_id", table_name="ticket_events")
    op.drop_table("ticket_events")
    op.drop_index("ix_tickets_status", table_name="tickets")
    op.drop_index("ix_tickets_thread", table_name="tickets")
    op.drop_table("tickets")
