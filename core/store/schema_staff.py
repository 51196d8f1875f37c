"""The staff tables (dashboard accounts, sign-in links, sessions, failed sign-ins), on the store's metadata."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Index, Integer, String, Table, Text, UniqueConstraint, false

from core.store.columns import PLATFORM_LENGTH, UTCDateTime, metadata

NAME_LENGTH = 128
HASH_LENGTH = 64  # SHA-256, hex

staff_accounts = Table(
    "staff_accounts",
    metadata,
    Column("name", String(NAME_LENGTH), primary_key=True),
    Column("role", String(16), nullable=False),
    Column("platform", String(PLATFORM_LENGTH), nullable=False),
    Column("user_id", String(255), nullable=False),
    Column("display_name", String(255), nullable=False),
    Column("roles", Text, nullable=False),  # the identity's roles, a sorted JSON list (a role name may hold a comma)
    Column("password_hash", Text, nullable=True),
    Column("disabled", Boolean, nullable=False, server_default=false()),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("platform", "user_id"),
)

staff_sign_in_links = Table(
    "staff_sign_in_links",
    metadata,
    Column("token_hash", String(HASH_LENGTH), primary_key=True),
    Column("platform", String(PLATFORM_LENGTH), nullable=False),
    Column("user_id", String(255), nullable=False),
    Column("display_name", String(255), nullable=False),
    Column("roles", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("used_at", UTCDateTime, nullable=True),
)

staff_sessions = Table(
    "staff_sessions",
    metadata,
    Column("token_hash", String(HASH_LENGTH), primary_key=True),
    Column("account", String(NAME_LENGTH), nullable=False, index=True),
    Column("role", String(16), nullable=False),
    Column("platform", String(PLATFORM_LENGTH), nullable=False),
    Column("user_id", String(255), nullable=False),
    Column("display_name", String(255), nullable=False),
    Column("roles", Text, nullable=False),
    Column("csrf_token", String(HASH_LENGTH), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("revoked_at", UTCDateTime, nullable=True),
)

staff_sign_in_failures = Table(
    "staff_sign_in_failures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(320), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Index("ix_staff_sign_in_failures_key_at", "key", "at"),
)
