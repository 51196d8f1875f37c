"""The ticket store's tables, as SQLAlchemy Core metadata shared by the store and its migrations."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    text,
)

from core.store.columns import DELIVERY_ID_LENGTH as DELIVERY_ID_LENGTH
from core.store.columns import PLATFORM_LENGTH as PLATFORM_LENGTH
from core.store.columns import UTCDateTime as UTCDateTime
from core.store.columns import metadata as metadata


def _address_columns() -> list[Column[str]]:
    return [
        Column("platform", String(PLATFORM_LENGTH), nullable=False),
        Column("workspace", String(255), nullable=False),
        Column("channel", String(255), nullable=False),
        Column("thread", String(255), nullable=False),
    ]


tickets = Table(
    "tickets",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("customer", String(255), nullable=False),
    Column("tier", String(64), nullable=False),
    *_address_columns(),
    Column("requester_id", String(255), nullable=False),
    Column("requester_name", String(255), nullable=False),
    Column("subject", Text, nullable=False),
    Column("intent", String(128), nullable=True),
    Column("priority", String(16), nullable=False),
    Column("status", String(32), nullable=False),
    Column("assignee", String(255), nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("first_response_due", UTCDateTime, nullable=True),
    Column("resolution_due", UTCDateTime, nullable=True),
    Column("first_response_at", UTCDateTime, nullable=True),
    Column("resolved_at", UTCDateTime, nullable=True),
    # Derived from the ticket's events by the SLA planner; kept here so lists and reports need no derivation.
    Column("next_response_due", UTCDateTime, nullable=True),
    Column("language", String(16), nullable=False, server_default=""),
    Column("frustrated", Boolean, nullable=False, server_default=false()),
    Index("ix_tickets_thread", "platform", "workspace", "channel", "thread"),
    Index("ix_tickets_status", "status"),
    # Reports: the first ticket of a thread opened at or after an answer.
    Index("ix_tickets_thread_created", "platform", "workspace", "channel", "thread", "created_at"),
    # Serves the per-member ticket limit (``tickets_opened_by``): equality on the first two, a range on the third.
    Index("ix_tickets_requester", "platform", "requester_id", "created_at"),
    # Ticket numbers are shown to customers; AUTOINCREMENT keeps SQLite from ever reusing one.
    sqlite_autoincrement=True,
)

ticket_events = Table(
    "ticket_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("ticket_id", Integer, ForeignKey("tickets.id"), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("actor", String(255), nullable=False),
    Column("kind", String(64), nullable=False),
    Column("detail", Text, nullable=False),
    Index("ix_ticket_events_ticket_id", "ticket_id"),
    # Reports: "has this ticket an event since the period's start?" and a batch's logs by time.
    Index("ix_ticket_events_ticket_at", "ticket_id", "at"),
)

messages = Table(
    "messages",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    *_address_columns(),
    Column("ticket_id", Integer, ForeignKey("tickets.id"), nullable=True),
    Column("author_id", String(255), nullable=False),
    Column("author_name", String(255), nullable=False),
    Column("role", String(16), nullable=False),
    Column("text", Text, nullable=False),
    Column("raw", LargeBinary, nullable=False),
    Column("intent", String(128), nullable=True),
    Column("citation_title", Text, nullable=True),
    Column("citation_url", Text, nullable=True),
    Column("citation_passage", String(255), nullable=True),  # the chunk id an answer quoted
    # NULL when the platform gave no id: NULLs never collide, so id-less messages are all kept.
    Column("external_id", String(255), nullable=True),
    Column("at", UTCDateTime, nullable=False),
    # The files sent with the message, as references (name, URL, type, size): JSON, at most 20. NULL: none.
    Column("files", Text, nullable=True),
    UniqueConstraint("platform", "external_id"),
    Index("ix_messages_thread", "platform", "workspace", "channel", "thread"),
    Index("ix_messages_ticket_id", "ticket_id"),
    # Reports: the bot's answers of a period; partial, so other messages cost it nothing.
    Index(
        "ix_messages_cited_at",
        "at",
        sqlite_where=text("citation_url IS NOT NULL"),
        postgresql_where=text("citation_url IS NOT NULL"),
    ),
)

escalations = Table(
    "escalations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("ticket_id", Integer, ForeignKey("tickets.id"), nullable=False),
    Column("deadline", String(32), nullable=False),
    Column("level", Integer, nullable=False),
    Column("target", String(255), nullable=False),
    Column("at", UTCDateTime, nullable=False),
    # The database, not the worker, guarantees one notice per ticket, deadline and level.
    UniqueConstraint("ticket_id", "deadline", "level"),
)

deflections = Table(
    "deflections",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    *_address_columns(),
    Column("question", Text, nullable=False),
    Column("url", Text, nullable=False),
    Column("at", UTCDateTime, nullable=False),
    # Which answer of the thread the customer found helpful: one resolution per answer, however often it is
    # pressed. NULL for resolutions counted before answers were named; NULLs never collide, so each still counts.
    Column("answer", String(64), nullable=True),
    Index("ix_deflections_answer", "platform", "workspace", "channel", "thread", "answer", unique=True),
)

deliveries = Table(
    "deliveries",
    metadata,
    # Platforms retry a delivery under the same id; the primary key lets only one claim of it succeed.
    Column("platform", String(PLATFORM_LENGTH), primary_key=True),
    Column("delivery_id", String(DELIVERY_ID_LENGTH), primary_key=True),
    Column("received_at", UTCDateTime, nullable=False),
    Index("ix_deliveries_received_at", "received_at"),
)

jobs = Table(
    "jobs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("queue", String(PLATFORM_LENGTH), nullable=False),
    # The unique key is what makes a redelivered webhook change nothing: its job is already here.
    Column("key", String(DELIVERY_ID_LENGTH), nullable=False),
    Column("kind", String(64), nullable=False),
    Column("payload", LargeBinary, nullable=False),
    Column("status", String(16), nullable=False),
    Column("run_after", UTCDateTime, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("failures", Integer, nullable=False),
    Column("last_error", Text, nullable=False),
    # Jobs of one conversation run oldest first: a job waits while an older one of its conversation is pending.
    Column("conversation", String(DELIVERY_ID_LENGTH), nullable=False, server_default=""),
    UniqueConstraint("queue", "key"),
    Index("ix_jobs_due", "queue", "status", "run_after"),
    Index("ix_jobs_conversation", "queue", "conversation", "status", "id"),
    sqlite_autoincrement=True,
)


sla_timers = Table(
    "sla_timers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("ticket_id", Integer, ForeignKey("tickets.id"), nullable=False),
    Column("action", String(32), nullable=False),
    Column("clock", String(32), nullable=False),
    Column("instance", Integer, nullable=False),
    Column("level", Integer, nullable=False),
    Column("due_at", UTCDateTime, nullable=False),
    Column("fired_at", UTCDateTime, nullable=True),
    # A worker that claimed the row holds it until lease_until; after that another worker may take it.
    Column("lease_owner", String(128), nullable=True),
    Column("lease_until", UTCDateTime, nullable=True),
    # The database, not the worker, guarantees each warning, level, reminder and stale action fires once.
    UniqueConstraint("ticket_id", "action", "clock", "instance", "level"),
    # The worker's only query: pending rows by due time. Partial, so fired rows cost the index nothing.
    Index(
        "ix_sla_timers_pending_due",
        "due_at",
        sqlite_where=text("fired_at IS NULL"),
        postgresql_where=text("fired_at IS NULL"),
    ),
)

outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("ticket_id", Integer, ForeignKey("tickets.id"), nullable=True),
    Column("timer_id", Integer, ForeignKey("sla_timers.id"), nullable=True),
    Column("address", Text, nullable=False),
    Column("payload", Text, nullable=False),  # the Reply as JSON, never pickled
    Column("created_at", UTCDateTime, nullable=False),
    Column("sent_at", UTCDateTime, nullable=True),
    Column("attempts", Integer, nullable=False, default=0),
    Column("last_error", Text, nullable=True),
    Column("lease_owner", String(128), nullable=True),
    Column("lease_until", UTCDateTime, nullable=True),
    Index(
        "ix_outbox_unsent",
        "id",
        sqlite_where=text("sent_at IS NULL"),
        postgresql_where=text("sent_at IS NULL"),
    ),
)

# One row per digest period posted: the primary key is what makes a second worker's claim fail.
digest_runs = Table(
    "digest_runs",
    metadata,
    Column("period_key", String(64), primary_key=True),
    Column("owner", String(128), nullable=False),
    Column("claimed_at", UTCDateTime, nullable=False),
)

store_meta = Table(
    "store_meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

surveys = Table(
    "surveys",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(8), nullable=False),
    Column("ticket_id", Integer, nullable=True),
    *_address_columns(),  # where it was asked; ``platform`` is also the person's platform
    Column("person", String(255), nullable=False),
    Column("tier", String(64), nullable=False),
    Column("agent", String(255), nullable=True),
    Column("sent_at", UTCDateTime, nullable=False),
    Column("sent_day", String(10), nullable=False),  # the UTC date of sent_at, YYYY-MM-DD, for the NPS rule
    Column("score", Integer, nullable=True),
    Column("comment", Text, nullable=False, server_default=""),
    Column("answered_at", UTCDateTime, nullable=True),
    Column("updated_at", UTCDateTime, nullable=True),
    # The database, not the sender, guarantees one CSAT survey per ticket and one NPS question per person a day,
    # so two workers running the same round cannot both ask.
    Index(
        "ix_surveys_csat_ticket",
        "ticket_id",
        unique=True,
        sqlite_where=text("kind = 'csat'"),
        postgresql_where=text("kind = 'csat'"),
    ),
    Index(
        "ix_surveys_nps_day",
        "platform",
        "person",
        "sent_day",
        unique=True,
        sqlite_where=text("kind = 'nps'"),
        postgresql_where=text("kind = 'nps'"),
    ),
    Index("ix_surveys_sent_at", "sent_at"),
    Index("ix_surveys_person", "kind", "platform", "person", "sent_at"),
    sqlite_autoincrement=True,
)

# The other domains' tables join the same metadata; imported last, since they build on what is above.
from core.store import schema_calls as _call_tables  # noqa: E402,F401
from core.store import schema_customers as _customer_tables  # noqa: E402,F401
from core.store import schema_gaps as _gap_tables  # noqa: E402,F401
from core.store import schema_guard as _guard_tables  # noqa: E402,F401
from core.store import schema_incidents as _incident_tables  # noqa: E402,F401
from core.store import schema_journeys as _journey_tables  # noqa: E402,F401
from core.store import schema_knowledge as _knowledge_tables  # noqa: E402,F401
from core.store import schema_privacy as _privacy_tables  # noqa: E402,F401
from core.store import schema_requests as _request_tables  # noqa: E402,F401
from core.store import schema_reviews as _review_tables  # noqa: E402,F401
from core.store import schema_staff as _staff_tables  # noqa: E402,F401
from core.store import schema_understanding as _understanding_tables  # noqa: E402,F401
