"""SLA timers (unique per ticket, action, clock, instance and level), the outbox, store metadata, next-response due.

Existing tickets keep every row. Their open deadlines are backfilled as level-1 escalation timers (already
fired where the old worker escalated them), so nothing is lost or sent twice; the worker's first start
then plans every active ticket again from its events with the configured calendars and chains.

Revision ID: 0004_sla
Revises: 0003_jobs
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_sla"
down_revision: str | None = "0003_jobs"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the SLA tables and backfill the timers of active tickets."""
    op.add_column("tickets", sa.Column("next_response_due", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "sla_timers",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "ticket_id", sa.Integer, sa.ForeignKey("tickets.id", name="fk_sla_timers_ticket_id_tickets"), nullable=False
        ),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("clock", sa.String(32), nullable=False),
        sa.Column("instance", sa.Integer, nullable=False),
        sa.Column("level", sa.Integer, nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("fired_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("lease_owner", sa.String(128), nullable=True),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_sla_timers"),
        sa.UniqueConstraint(
            "ticket_id",
            "action",
            "clock",
            "instance",
            "level",
            name="uq_sla_timers_ticket_id_action_clock_instance_level",
        ),
    )
    op.create_index(
        "ix_sla_timers_pending_due",
        "sla_timers",
        ["due_at"],
        sqlite_where=sa.text("fired_at IS NULL"),
        postgresql_where=sa.text("fired_at IS NULL"),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "ticket_id", sa.Integer, sa.ForeignKey("tickets.id", name="fk_outbox_ticket_id_tickets"), nullable=True
        ),
        sa.Column(
            "timer_id", sa.Integer, sa.ForeignKey("sla_timers.id", name="fk_outbox_timer_id_sla_timers"), nullable=True
        ),
        sa.Column("address", sa.Text, nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("last_error", sa.Text, nullable=True),
        sa.Column("lease_owner", sa.String(128), nullable=True),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_outbox"),
    )
    op.create_index(
        "ix_outbox_unsent",
        "outbox",
        ["id"],
        sqlite_where=sa.text("sent_at IS NULL"),
        postgresql_where=sa.text("sent_at IS NULL"),
    )
    op.create_table(
        "store_meta",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_store_meta"),
    )
    _backfill()


def _backfill() -> None:
    """Level-1 escalation timers for the open deadlines of active tickets; fired where already escalated."""
    timers = sa.table(
        "sla_timers",
        *(sa.column(name) for name in ("ticket_id", "action", "clock", "instance", "level", "due_at", "fired_at")),
    )
    escalations = sa.table(
        "escalations", sa.column("ticket_id"), sa.column("deadline"), sa.column("level"), sa.column("at")
    )
    for clock, due, met in (
        ("first_response", "first_response_due", "first_response_at"),
        ("resolution", "resolution_due", "resolved_at"),
    ):
        tickets = sa.table("tickets", sa.column("id"), sa.column("status"), sa.column(due), sa.column(met))
        escalated = (
            sa.select(sa.func.min(escalations.c.at))
            .where(escalations.c.ticket_id == tickets.c.id, escalations.c.deadline == clock, escalations.c.level == 1)
            .scalar_subquery()
        )
        rows = sa.select(
            tickets.c.id,
            sa.literal("escalation"),
            sa.literal(clock),
            sa.literal(1),
            sa.literal(1),
            tickets.c[due],
            escalated,
        ).where(tickets.c[due].is_not(None), tickets.c[met].is_(None), tickets.c.status.not_in(["resolved", "closed"]))
        columns = ["ticket_id", "action", "clock", "instance", "level", "due_at", "fired_at"]
        op.execute(timers.insert().from_select(columns, rows))


def downgrade() -> None:
    """Drop what ``upgrade`` added; tickets and their escalations keep every row."""
    op.drop_table("store_meta")
    op.drop_index("ix_outbox_unsent", table_name="outbox")
    op.drop_table("outbox")
    op.drop_index("ix_sla_timers_pending_due", table_name="sla_timers")
    op.drop_table("sla_timers")
    op.drop_column("tickets", "next_response_due")
