"""Incidents: their updates, linked tickets, the notices queued about them and the proposals made.

Revision ID: 0024_incidents
Revises: 0023_journeys
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from core.store.columns import UTCDateTime

revision: str = "0024_incidents"
down_revision: str | None = "0023_journeys"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_IDENTITY = 320
_KEY = 128


def upgrade() -> None:
    """Create the incident tables, empty."""
    op.create_table(
        "incidents",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("severity", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("opened_by", sa.String(_IDENTITY), nullable=False),
        sa.Column("opened_at", UTCDateTime, nullable=False),
        sa.Column("resolved_at", UTCDateTime, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_incidents"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_incidents_status", "incidents", ["status"])
    op.create_table(
        "incident_updates",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("incident_id", sa.Integer, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("author", sa.String(_IDENTITY), nullable=False),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.Column("resolution", sa.Boolean, nullable=False),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"], name="fk_incident_updates_incident_id_incidents"),
        sa.PrimaryKeyConstraint("id", name="pk_incident_updates"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_incident_updates_incident_id", "incident_updates", ["incident_id"])
    op.create_table(
        "incident_tickets",
        sa.Column("incident_id", sa.Integer, nullable=False),
        sa.Column("ticket_id", sa.Integer, nullable=False),
        sa.Column("linked_by", sa.String(_IDENTITY), nullable=False),
        sa.Column("linked_at", UTCDateTime, nullable=False),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"], name="fk_incident_tickets_incident_id_incidents"),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], name="fk_incident_tickets_ticket_id_tickets"),
        sa.PrimaryKeyConstraint("incident_id", "ticket_id", name="pk_incident_tickets"),
    )
    op.create_index("ix_incident_tickets_ticket_id", "incident_tickets", ["ticket_id"])
    op.create_table(
        "incident_deliveries",
        sa.Column("incident_id", sa.Integer, nullable=False),
        sa.Column("ticket_id", sa.Integer, nullable=False),
        sa.Column("key", sa.String(_KEY), nullable=False),
        sa.Column("queued_at", UTCDateTime, nullable=False),
        sa.ForeignKeyConstraint(["incident_id"], ["incidents.id"], name="fk_incident_deliveries_incident_id_incidents"),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], name="fk_incident_deliveries_ticket_id_tickets"),
        sa.PrimaryKeyConstraint("incident_id", "ticket_id", "key", name="pk_incident_deliveries"),
    )
    op.create_table(
        "incident_proposals",
        sa.Column("key", sa.String(_KEY), nullable=False),
        sa.Column("proposed_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_incident_proposals"),
    )


def downgrade() -> None:
    """Drop them: every incident, its updates and links go."""
    op.drop_table("incident_proposals")
    op.drop_table("incident_deliveries")
    op.drop_index("ix_incident_tickets_ticket_id", "incident_tickets")
    op.drop_table("incident_tickets")
    op.drop_index("ix_incident_updates_incident_id", "incident_updates")
    op.drop_table("incident_updates")
    op.drop_index("ix_incidents_status", "incidents")
    op.drop_table("incidents")
