"""The feature-request tables: drafts awaiting a confirmation, requests, votes, status changes and merges."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint

from core.store.columns import PLATFORM_LENGTH, UTCDateTime, metadata

IDENTITY_LENGTH = 255
STATUS_LENGTH = 16


def _person(prefix: str) -> list[Column[object]]:
    """Who asked or voted, and where: the columns of a ``Requester``."""
    return [
        Column(f"{prefix}identity", String(IDENTITY_LENGTH), nullable=False),
        Column(f"{prefix}name", Text, nullable=False),
        Column(f"{prefix}account", String(IDENTITY_LENGTH), nullable=False),
        Column(f"{prefix}tier", String(64), nullable=False),
        Column(f"{prefix}platform", String(PLATFORM_LENGTH), nullable=False),
        Column(f"{prefix}workspace", String(255), nullable=False),
        Column(f"{prefix}channel", String(255), nullable=False),
        Column(f"{prefix}thread", String(255), nullable=False),
        Column(f"{prefix}link", Text, nullable=False),
    ]


# A request written but not confirmed; ``filed_as`` is set once, by one conditional UPDATE.
feature_request_drafts = Table(
    "feature_request_drafts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("title", Text, nullable=False),
    Column("description", Text, nullable=False),
    *_person(""),
    Column("at", UTCDateTime, nullable=False),
    Column("filed_as", Integer, nullable=True),
    sqlite_autoincrement=True,
)

feature_requests = Table(
    "feature_requests",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("title", Text, nullable=False),
    Column("description", Text, nullable=False),
    *_person(""),
    Column("status", String(STATUS_LENGTH), nullable=False),
    Column("note", Text, nullable=False),
    Column("duplicate_of", Integer, ForeignKey("feature_requests.id"), nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Index("ix_feature_requests_status", "status"),
    sqlite_autoincrement=True,
)

# One row per identity and request: the unique constraint, not the caller, makes a second vote a no-op.
feature_request_votes = Table(
    "feature_request_votes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("request", Integer, ForeignKey("feature_requests.id"), nullable=False),
    *_person("voter_"),
    Column("comment", Text, nullable=False),
    Column("at", UTCDateTime, nullable=False),
    UniqueConstraint("request", "voter_identity"),
    sqlite_autoincrement=True,
)

feature_request_changes = Table(
    "feature_request_changes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("request", Integer, ForeignKey("feature_requests.id"), nullable=False),
    Column("old", String(STATUS_LENGTH), nullable=False),
    Column("new", String(STATUS_LENGTH), nullable=False),
    Column("note", Text, nullable=False),
    Column("by", String(IDENTITY_LENGTH), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Index("ix_feature_request_changes_request", "request"),
    sqlite_autoincrement=True,
)

feature_request_merges = Table(
    "feature_request_merges",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("source", Integer, ForeignKey("feature_requests.id"), nullable=False),
    Column("target", Integer, ForeignKey("feature_requests.id"), nullable=False),
    Column("previous", String(STATUS_LENGTH), nullable=False),
    Column("by", String(IDENTITY_LENGTH), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("undone_at", UTCDateTime, nullable=True),
    Column("undone_by", String(IDENTITY_LENGTH), nullable=True),
    Index("ix_feature_request_merges_target", "target"),
    sqlite_autoincrement=True,
)

# The tracker issue (a GitHub issue) that follows a request: one per request, and an issue follows one request.
feature_request_issues = Table(
    "feature_request_issues",
    metadata,
    Column("request", Integer, ForeignKey("feature_requests.id"), primary_key=True, autoincrement=False),
    Column("platform", String(PLATFORM_LENGTH), nullable=False),
    Column("workspace", String(255), nullable=False),
    Column("channel", String(255), nullable=False),
    Column("thread", String(255), nullable=False),
    Column("url", Text, nullable=False),
    Column("by", String(IDENTITY_LENGTH), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    UniqueConstraint("platform", "workspace", "channel", "thread"),
)
