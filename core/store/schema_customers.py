"""The customer tables (accounts, people, identities, usage, link codes, failed codes, the link audit, health,
outreach)."""

from __future__ import annotations

from sqlalchemy import Column, Date, Float, ForeignKey, Index, Integer, String, Table, Text

from core.store.columns import UTCDateTime, metadata

ACCOUNT_LENGTH = 128
PERSON_LENGTH = 64
IDENTITY_LENGTH = 320
HASH_LENGTH = 64  # SHA-256, hex

customer_accounts = Table(
    "customer_accounts",
    metadata,
    Column("id", String(ACCOUNT_LENGTH), primary_key=True),
    Column("name", Text, nullable=False),
    Column("tier", String(64), nullable=False),
    Column("csm", String(IDENTITY_LENGTH), nullable=True),
    Column("contract_start", Date, nullable=True),
    Column("renewal_date", Date, nullable=True),
    Column("seats", Integer, nullable=True),
    Column("external_id", String(255), nullable=True),
    Column("updated_at", UTCDateTime, nullable=False),
)

customer_people = Table(
    "customer_people",
    metadata,
    Column("id", String(PERSON_LENGTH), primary_key=True),
    Column("name", Text, nullable=False),
    Column("account", String(ACCOUNT_LENGTH), ForeignKey("customer_accounts.id"), nullable=True, index=True),
    Column("created_at", UTCDateTime, nullable=False),
)

customer_identities = Table(
    "customer_identities",
    metadata,
    Column("identity", String(IDENTITY_LENGTH), primary_key=True),
    Column("person", String(PERSON_LENGTH), ForeignKey("customer_people.id"), nullable=False, index=True),
    Column("added_at", UTCDateTime, nullable=False),
)

customer_usage = Table(
    "customer_usage",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("account", String(ACCOUNT_LENGTH), ForeignKey("customer_accounts.id"), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("active_users", Integer, nullable=True),
    Column("seats", Integer, nullable=True),
    Column("feature_adoption", Float, nullable=True),
    Column("plan_usage", Float, nullable=True),
    Index("ix_customer_usage_account_at", "account", "at"),
)

customer_link_codes = Table(
    "customer_link_codes",
    metadata,
    Column("code_hash", String(HASH_LENGTH), primary_key=True),
    Column("identity", String(IDENTITY_LENGTH), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("used_at", UTCDateTime, nullable=True),
    Index("ix_customer_link_codes_identity_created_at", "identity", "created_at"),
)

customer_link_failures = Table(
    "customer_link_failures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("identity", String(IDENTITY_LENGTH), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Index("ix_customer_link_failures_identity_at", "identity", "at"),
)

customer_link_events = Table(
    "customer_link_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", UTCDateTime, nullable=False),
    Column("actor", String(IDENTITY_LENGTH), nullable=False),
    Column("action", String(16), nullable=False),
    Column("identity", String(IDENTITY_LENGTH), nullable=False, index=True),
    Column("other", String(IDENTITY_LENGTH), nullable=True, index=True),
    Column("person", String(PERSON_LENGTH), nullable=False),
)

customer_health = Table(
    "customer_health",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("account", String(ACCOUNT_LENGTH), ForeignKey("customer_accounts.id"), nullable=False),
    Column("day", Date, nullable=False),
    Column("score", Integer, nullable=False),
    Column("category", String(16), nullable=False),
    Column("missing", String(128), nullable=False),  # the parts without data, comma-separated
    Column("computed_at", UTCDateTime, nullable=False),
    # One score per account and day: the first worker's insert wins, the others' fail on this index.
    Index("ux_customer_health_account_day", "account", "day", unique=True),
)

# Proactive outreach: each occurrence of a playbook once per account, and what each of its actions became.
outreach_occurrences = Table(
    "outreach_occurrences",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("account", String(ACCOUNT_LENGTH), ForeignKey("customer_accounts.id"), nullable=False),
    Column("playbook", String(64), nullable=False),
    Column("trigger", String(32), nullable=False),
    Column("occurrence", String(128), nullable=False),  # e.g. "30:2027-01-31": 30 days before that renewal
    Column("reason", Text, nullable=False),
    Column("at", UTCDateTime, nullable=False),
    # Once per occurrence: the first worker's insert wins, the others' fail on this index and write nothing.
    Index("ux_outreach_occurrences_key", "account", "playbook", "occurrence", unique=True),
)

outreach_records = Table(
    "outreach_records",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("occurrence_id", Integer, ForeignKey("outreach_occurrences.id"), nullable=False),
    Column("account", String(ACCOUNT_LENGTH), ForeignKey("customer_accounts.id"), nullable=False),
    Column("action", String(16), nullable=False),  # notice, message, task
    Column("audience", String(16), nullable=False),  # csm, leadership, staff, customer
    Column("target", Text, nullable=True),
    Column("text", Text, nullable=False),
    Column("status", String(16), nullable=False),  # sent, deferred, throttled, open, no contact
    Column("at", UTCDateTime, nullable=False),
    Column("due_at", UTCDateTime, nullable=True),
    Column("sent_at", UTCDateTime, nullable=True),
    Column("address", Text, nullable=True),  # a deferred message's notice, as the outbox keeps it (JSON)
    Column("payload", Text, nullable=True),
    Index("ix_outreach_records_account_at", "account", "at"),
    Index("ix_outreach_records_status_due", "status", "due_at"),
)
