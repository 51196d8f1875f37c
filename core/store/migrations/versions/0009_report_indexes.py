"""The indexes the report read model needs: a ticket's log by time, cited answers by time, a thread's tickets by time.

Revision ID: 0009_report_indexes
Revises: 0008_surveys
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_report_indexes"
down_revision: str | None = "0008_surveys"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_CITED = sa.text("citation_url IS NOT NULL")


def upgrade() -> None:
    """Add the three indexes; no data changes."""
    # "Has this ticket an event since the period's start?" and a batch's logs, oldest first.
    op.create_index("ix_ticket_events_ticket_at", "ticket_events", ["ticket_id", "at"])
    # The bot's answers of a period; partial, so customers' and agents' messages cost it nothing.
    op.create_index("ix_messages_cited_at", "messages", ["at"], sqlite_where=_CITED, postgresql_where=_CITED)
    # The first ticket of a thread opened at or after an answer.
    op.create_index(
        "ix_tickets_thread_created", "tickets", ["platform", "workspace", "channel", "thread", "created_at"]
    )


def downgrade() -> None:
    """Drop the three indexes again."""
    op.drop_index("ix_tickets_thread_created", table_name="tickets")
    op.drop_index("ix_messages_cited_at", table_name="messages")
    op.drop_index("ix_ticket_events_ticket_at", table_name="ticket_events")
