"""Customer accounts, their people and identities, usage figures, link codes and the link audit.

Revision ID: 0015_customers
Revises: 0014_articles
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from core.store.columns import UTCDateTime

revision: str = "0015_customers"
down_revision: str | None = "0014_articles"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_IDENTITY = 320


def upgrade() -> None:
    """Create the customer tables, empty (``helpline serve`` seeds them from tiers.yaml's ``customers:``)."""
    op.create_table(
        "customer_accounts",
        sa.Column("id", sa.String(128), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("tier", sa.String(64), nullable=False),
        sa.Column("csm", sa.String(_IDENTITY), nullable=True),
        sa.Column("contract_start", sa.Date, nullable=True),
        sa.Column("renewal_date", sa.Date, nullable=True),
        sa.Column("seats", sa.Integer, nullable=True),
        sa.Column("external_id", sa.String(255), nullable=True),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_customer_accounts"),
    )
    op.create_table(
        "customer_people",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("account", sa.String(128), nullable=True),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_customer_people"),
        sa.ForeignKeyConstraint(
            ["account"], ["customer_accounts.id"], name="fk_customer_people_account_customer_accounts"
        ),
    )
    op.create_index("ix_customer_people_account", "customer_people", ["account"])
    op.create_table(
        "customer_identities",
        sa.Column("identity", sa.String(_IDENTITY), nullable=False),
        sa.Column("person", sa.String(64), nullable=False),
        sa.Column("added_at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("identity", name="pk_customer_identities"),
        sa.ForeignKeyConstraint(
            ["person"], ["customer_people.id"], name="fk_customer_identities_person_customer_people"
        ),
    )
    op.create_index("ix_customer_identities_person", "customer_identities", ["person"])
    op.create_table(
        "customer_usage",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("account", sa.String(128), nullable=False),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.Column("active_users", sa.Integer, nullable=True),
        sa.Column("seats", sa.Integer, nullable=True),
        sa.Column("feature_adoption", sa.Float, nullable=True),
        sa.Column("plan_usage", sa.Float, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_customer_usage"),
        sa.ForeignKeyConstraint(
            ["account"], ["customer_accounts.id"], name="fk_customer_usage_account_customer_accounts"
        ),
    )
    op.create_index("ix_customer_usage_account_at", "customer_usage", ["account", "at"])
    op.create_table(
        "customer_link_codes",
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("identity", sa.String(_IDENTITY), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("expires_at", UTCDateTime, nullable=False),
        sa.Column("used_at", UTCDateTime, nullable=True),
        sa.PrimaryKeyConstraint("code_hash", name="pk_customer_link_codes"),
    )
    op.create_index("ix_customer_link_codes_identity_created_at", "customer_link_codes", ["identity", "created_at"])
    op.create_table(
        "customer_link_failures",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("identity", sa.String(_IDENTITY), nullable=False),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_customer_link_failures"),
    )
    op.create_index("ix_customer_link_failures_identity_at", "customer_link_failures", ["identity", "at"])
    op.create_table(
        "customer_link_events",
        sa.Column("id", sa.Integer, autoincrement=True, nullable=False),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.Column("actor", sa.String(_IDENTITY), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("identity", sa.String(_IDENTITY), nullable=False),
        sa.Column("other", sa.String(_IDENTITY), nullable=True),
        sa.Column("person", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_customer_link_events"),
    )
    op.create_index("ix_customer_link_events_identity", "customer_link_events", ["identity"])
    op.create_index("ix_customer_link_events_other", "customer_link_events", ["other"])


def downgrade() -> None:
    """Drop them: every account, person, identity link, usage figure and link code goes."""
    for index, table in (
        ("ix_customer_link_events_other", "customer_link_events"),
        ("ix_customer_link_events_identity", "customer_link_events"),
        ("ix_customer_link_failures_identity_at", "customer_link_failures"),
        ("ix_customer_link_codes_identity_created_at", "customer_link_codes"),
        ("ix_customer_usage_account_at", "customer_usage"),
        ("ix_customer_identities_person", "customer_identities"),
        ("ix_customer_people_account", "customer_people"),
    ):
        op.drop_index(index, table)
    for table in (
        "customer_link_events",
        "customer_link_failures",
        "customer_link_codes",
        "customer_usage",
        "customer_identities",
        "customer_people",
        "customer_accounts",
    ):
        op.drop_table(table)
