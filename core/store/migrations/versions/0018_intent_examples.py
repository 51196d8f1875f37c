"""Moderators' intent corrections, one labelled example per ticket (intent_examples).

Revision ID: 0018_intent_examples
Revises: 0017_gap_questions
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from core.store.columns import UTCDateTime

revision: str = "0018_intent_examples"
down_revision: str | None = "0017_gap_questions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create the corrections table: a ticket's customer question with the intent a moderator gave it."""
    op.create_table(
        "intent_examples",
        sa.Column("ticket_id", sa.Integer, autoincrement=False, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("intent", sa.String(128), nullable=False),
        sa.Column("actor", sa.String(255), nullable=False),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], name="fk_intent_examples_ticket_id_tickets"),
        sa.PrimaryKeyConstraint("ticket_id", name="pk_intent_examples"),
    )
    op.create_index("ix_intent_examples_at", "intent_examples", ["at"])


def downgrade() -> None:
    """Drop it: every correction kept as an example goes (the tickets keep their corrected intents)."""
    op.drop_index("ix_intent_examples_at", "intent_examples")
    op.drop_table("intent_examples")
