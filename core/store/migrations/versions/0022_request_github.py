"""The tracker issue that follows a feature request (GitHub sync): one per request, one request per issue.

Revision ID: 0022_request_github
Revises: 0021_outreach
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from core.store.columns import UTCDateTime

revision: str = "0022_request_github"
down_revision: str | None = "0021_outreach"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Create ``feature_request_issues``, empty: moderators link issues with ``request github N``."""
    op.create_table(
        "feature_request_issues",
        sa.Column("request", sa.Integer, autoincrement=False, nullable=False),
        sa.Column("platform", sa.String(32), nullable=False),
        sa.Column("workspace", sa.String(255), nullable=False),
        sa.Column("channel", sa.String(255), nullable=False),
        sa.Column("thread", sa.String(255), nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("by", sa.String(255), nullable=False),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("request", name="pk_feature_request_issues"),
        sa.ForeignKeyConstraint(
            ["request"], ["feature_requests.id"], name="fk_feature_request_issues_request_feature_requests"
        ),
        sa.UniqueConstraint(
            "platform",
            "workspace",
            "channel",
            "thread",
            name="uq_feature_request_issues_platform_workspace_channel_thread",
        ),
    )


def downgrade() -> None:
    """Drop it: the requests stay, their votes from reactions too; only the links to their issues go."""
    op.drop_table("feature_request_issues")
