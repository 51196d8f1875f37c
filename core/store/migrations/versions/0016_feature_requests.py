"""Feature requests: drafts awaiting a confirmation, requests, votes, status changes and merges.

Revision ID: 0016_feature_requests
Revises: 0015_customers
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from core.store.columns import UTCDateTime

revision: str = "0016_feature_requests"
down_revision: str | None = "0015_customers"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _person(prefix: str) -> list[sa.Column[object]]:
    return [
        sa.Column(f"{prefix}identity", sa.String(255), nullable=False),
        sa.Column(f"{prefix}name", sa.Text, nullable=False),
        sa.Column(f"{prefix}account", sa.String(255), nullable=False),
        sa.Column(f"{prefix}tier", sa.String(64), nullable=False),
        sa.Column(f"{prefix}platform", sa.String(32), nullable=False),
        sa.Column(f"{prefix}workspace", sa.String(255), nullable=False),
        sa.Column(f"{prefix}channel", sa.String(255), nullable=False),
        sa.Column(f"{prefix}thread", sa.String(255), nullable=False),
        sa.Column(f"{prefix}link", sa.Text, nullable=False),
    ]


def upgrade() -> None:
    """Create the five tables, empty."""
    op.create_table(
        "feature_request_drafts",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        *_person(""),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.Column("filed_as", sa.Integer, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_feature_request_drafts"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "feature_requests",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        *_person(""),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("duplicate_of", sa.Integer, nullable=True),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_feature_requests"),
        sa.ForeignKeyConstraint(
            ["duplicate_of"], ["feature_requests.id"], name="fk_feature_requests_duplicate_of_feature_requests"
        ),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_feature_requests_status", "feature_requests", ["status"])
    op.create_table(
        "feature_request_votes",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("request", sa.Integer, nullable=False),
        *_person("voter_"),
        sa.Column("comment", sa.Text, nullable=False),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_feature_request_votes"),
        sa.ForeignKeyConstraint(
            ["request"], ["feature_requests.id"], name="fk_feature_request_votes_request_feature_requests"
        ),
        sa.UniqueConstraint("request", "voter_identity", name="uq_feature_request_votes_request_voter_identity"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "feature_request_changes",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("request", sa.Integer, nullable=False),
        sa.Column("old", sa.String(16), nullable=False),
        sa.Column("new", sa.String(16), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("by", sa.String(255), nullable=False),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_feature_request_changes"),
        sa.ForeignKeyConstraint(
            ["request"], ["feature_requests.id"], name="fk_feature_request_changes_request_feature_requests"
        ),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_feature_request_changes_request", "feature_request_changes", ["request"])
    op.create_table(
        "feature_request_merges",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("source", sa.Integer, nullable=False),
        sa.Column("target", sa.Integer, nullable=False),
        sa.Column("previous", sa.String(16), nullable=False),
        sa.Column("by", sa.String(255), nullable=False),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.Column("undone_at", UTCDateTime, nullable=True),
        sa.Column("undone_by", sa.String(255), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_feature_request_merges"),
        sa.ForeignKeyConstraint(
            ["source"], ["feature_requests.id"], name="fk_feature_request_merges_source_feature_requests"
        ),
        sa.ForeignKeyConstraint(
            ["target"], ["feature_requests.id"], name="fk_feature_request_merges_target_feature_requests"
        ),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_feature_request_merges_target", "feature_request_merges", ["target"])


def downgrade() -> None:
    """Drop them, and every request, vote and merge with them."""
    op.drop_index("ix_feature_request_merges_target", "feature_request_merges")
    op.drop_table("feature_request_merges")
    op.drop_index("ix_feature_request_changes_request", "feature_request_changes")
    op.drop_table("feature_request_changes")
    op.drop_table("feature_request_votes")
    op.drop_index("ix_feature_requests_status", "feature_requests")
    op.drop_table("feature_requests")
    op.drop_table("feature_request_drafts")
