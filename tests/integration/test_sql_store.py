"""What only the SQL store promises: durability across restarts, migrations, SQLite locking, atomic writes.

Everything but the SQLite locking runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import event, func, insert, inspect, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import OperationalError, StatementError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from core.messages import Address
from core.store.engine import create_engine_for, sqlite_url, writer
from core.store.migrate import alembic_config, upgrade_schema
from core.store.schema import deflections, metadata
from core.store.sql_store import sql_stores
from core.store.tickets import SqlTickets
from core.tickets.records import (
    ConversationMessage,
    Deadline,
    Escalation,
    NewTicket,
    Priority,
    Role,
    TicketChange,
    TicketEvent,
    TicketStatus,
)
from tests.deflections import counted_deflections

pytestmark = pytest.mark.asyncio

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
THREAD = Address("discord", "guild", "support", "thread-1")


async def _migrated(url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine_for(url)
    try:
        await upgrade_schema(engine)
        yield engine
    finally:
        await engine.dispose()


@pytest_asyncio.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """A migrated database of each engine (SQLite, PostgreSQL), closed at teardown."""
    async for engine in _migrated(database_url):
        yield engine


@pytest_asyncio.fixture
async def sqlite_engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    """A migrated SQLite database file, for what only SQLite does."""
    async for engine in _migrated(sqlite_url(tmp_path / "helpline.sqlite3")):
        yield engine


def draft() -> NewTicket:
    return NewTicket(
        "acme",
        "enterprise",
        THREAD,
        "U1",
        "Ada",
        "Outage",
        "outage",
        Priority.CRITICAL,
        T0,
        T0,
        T0 + timedelta(hours=4),
    )


def message(text: str, at: datetime = T0) -> ConversationMessage:
    return ConversationMessage(THREAD, "U1", "Ada", Role.CUSTOMER, text, at)


async def test_escalation_uniqueness_survives_a_restart(database_url: str) -> None:
    url = database_url
    escalation = Escalation(1, Deadline.FIRST_RESPONSE, 1, "#leads", T0)
    before = create_engine_for(url)
    try:
        await upgrade_schema(before)
        await sql_stores(before).tickets.open_ticket(draft(), "helpline")
        assert await sql_stores(before).escalations.claim_escalation(escalation)
    finally:
        await before.dispose()

    after = create_engine_for(url)
    try:
        await upgrade_schema(after)
        store = sql_stores(after)
        assert not await store.escalations.claim_escalation(escalation)
        assert await store.escalations.claim_escalation(Escalation(1, Deadline.FIRST_RESPONSE, 2, "@oncall", T0))
        assert [e.level for e in await store.escalations.escalations(1)] == [1, 2]
        assert [e.kind for e in await store.tickets.events(1)] == ["opened", "escalated", "escalated"]
    finally:
        await after.dispose()


async def test_upgrading_twice_is_harmless_and_matches_the_metadata(engine: AsyncEngine) -> None:
    store = sql_stores(engine)
    await store.tickets.open_ticket(draft(), "helpline")
    await upgrade_schema(engine)
    assert (await store.tickets.get(1)) is not None

    def differences(connection: Connection) -> list[Any]:
        return list(compare_metadata(MigrationContext.configure(connection), metadata))

    async with engine.connect() as conn:
        head = ScriptDirectory.from_config(alembic_config()).get_current_head()
        assert (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalars().all() == [head]
        assert await conn.run_sync(differences) == []
        assert await conn.run_sync(_index_names) == {
            "ix_tickets_thread",
            "ix_tickets_status",
            "ix_tickets_requester",
            "ix_ticket_events_ticket_id",
            "ix_messages_thread",
            "ix_messages_ticket_id",
            "ix_deliveries_received_at",
            "ix_jobs_due",
            "ix_jobs_conversation",
            "ix_sla_timers_pending_due",
            "ix_outbox_unsent",
            "ix_deflections_answer",
            "ix_ticket_events_ticket_at",
            "ix_messages_cited_at",
            "ix_tickets_thread_created",
            "ix_surveys_csat_ticket",
            "ix_surveys_nps_day",
            "ix_surveys_sent_at",
            "ix_surveys_person",
            "ix_staff_sessions_account",
            "ix_staff_sign_in_failures_key_at",
            "ix_answer_feedback_passage",
            "ix_kb_articles_state",
            "ix_kb_article_events_article",
            "ix_answer_feedback_at",
            "ix_customer_people_account",
            "ix_customer_identities_person",
            "ix_customer_usage_account_at",
            "ix_customer_link_codes_identity_created_at",
            "ix_customer_link_failures_identity_at",
            "ix_customer_link_events_identity",
            "ix_customer_link_events_other",
            "ix_feature_requests_status",
            "ix_feature_request_changes_request",
            "ix_feature_request_merges_target",
            "ix_gap_questions_at",
            "ix_intent_examples_at",
            "ux_customer_health_account_day",
            "ix_privacy_audit_subject",
            "ux_outreach_occurrences_key",
            "ix_outreach_records_account_at",
            "ix_outreach_records_status_due",
            "ix_customer_journeys_state",
            "ix_calls_start_at",
            "ix_calls_holder",
            "ix_calls_person",
            "ix_message_originals_thread",
            "ix_message_originals_author",
            "ix_message_originals_at",
            "ux_engineering_issues_issue",
            "ix_incidents_status",
            "ix_incident_updates_incident_id",
            "ix_incident_tickets_ticket_id",
            "ix_guard_actions_member",
            "ix_guard_actions_at",
            "ix_reviews_ticket_id",
            "ix_reviews_agent",
            "ix_reviews_at",
        }


def _index_names(connection: Connection) -> set[str]:
    """Indexes made with CREATE INDEX; PostgreSQL also lists the ones backing unique constraints, left out here."""
    inspector = inspect(connection)
    found = [ix for table in inspector.get_table_names() for ix in inspector.get_indexes(table)]
    return {str(ix["name"]) for ix in found if "duplicates_constraint" not in ix}


async def test_sqlite_pragmas_are_set_on_every_connection(tmp_path: Path) -> None:
    engine = create_engine_for(sqlite_url(tmp_path / "nested" / "dir" / "db.sqlite3"), busy_timeout_ms=1234)
    try:
        async with engine.connect() as conn:
            pragmas = {
                name: (await conn.exec_driver_sql(f"PRAGMA {name}")).scalar()
                for name in ("journal_mode", "busy_timeout", "foreign_keys", "synchronous")
            }
    finally:
        await engine.dispose()
    assert pragmas == {"journal_mode": "wal", "busy_timeout": 1234, "foreign_keys": 1, "synchronous": 1}


async def test_writes_begin_immediate_lone_reads_send_no_begin_and_other_reads_begin_deferred(
    sqlite_engine: AsyncEngine,
) -> None:
    engine = sqlite_engine
    statements: list[str] = []

    def remember(_conn: Connection, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", remember)
    store = sql_stores(engine)
    await store.conversations.record_message(message("hello"))
    assert statements[0] == "BEGIN IMMEDIATE"
    statements.clear()
    await store.conversations.conversation(THREAD)  # one SELECT: its own snapshot, no BEGIN round trip
    assert len(statements) == 1 and statements[0].startswith("SELECT")
    statements.clear()
    async with engine.connect() as conn:  # several reads that must agree still share one deferred transaction
        await conn.execute(select(func.count()).select_from(deflections))
    assert statements[0] == "BEGIN"
    assert "BEGIN IMMEDIATE" not in statements


async def _read_then_write(conn: AsyncConnection) -> None:
    # The lock upgrade from reader to writer is what deadlocks deferred transactions in WAL mode.
    await conn.execute(select(func.count()).select_from(deflections))
    await asyncio.sleep(0.2)
    values = {"platform": "slack", "workspace": "", "channel": "", "thread": "", "question": "q", "url": "u", "at": T0}
    await conn.execute(insert(deflections).values(values))


async def _concurrently(engine: AsyncEngine) -> list[BaseException | None]:
    async def one() -> None:
        async with engine.begin() as conn:
            await _read_then_write(conn)

    return list(await asyncio.gather(one(), one(), return_exceptions=True))


async def test_concurrent_writers_wait_for_each_other_instead_of_failing(sqlite_engine: AsyncEngine) -> None:
    engine = sqlite_engine
    assert await _concurrently(writer(engine)) == [None, None]
    assert await counted_deflections(sql_stores(engine)) == 2
    # The same transactions begun as readers do fail, which shows what BEGIN IMMEDIATE buys.
    outcomes = await _concurrently(engine)
    failures = [o for o in outcomes if o is not None]
    assert len(failures) == 1
    assert isinstance(failures[0], OperationalError)
    assert "locked" in str(failures[0])


class _FailingEventTickets(SqlTickets):
    """Tickets whose event insert fails, after the ticket rows have already been written."""

    async def _insert_event(self, conn: AsyncConnection, event: TicketEvent) -> None:
        raise RuntimeError("disk on fire")


async def test_a_failure_mid_transaction_leaves_nothing_half_written(engine: AsyncEngine) -> None:
    store, failing = sql_stores(engine), _FailingEventTickets(engine)
    await store.conversations.record_message(message("before"))
    await store.tickets.open_ticket(draft(), "helpline")
    before = await store.tickets.get(1)

    change = TicketChange(status=TicketStatus.OPEN, assignee="bob", first_response_at=T0 + timedelta(minutes=1))
    with pytest.raises(RuntimeError, match="disk on fire"):
        await failing.update(1, change, TicketEvent(1, T0 + timedelta(minutes=1), "bob", "claimed"), message("on it"))
    assert await store.tickets.get(1) == before
    assert [e.kind for e in await store.tickets.events(1)] == ["opened"]
    assert [m.text for m in await store.conversations.messages(1)] == ["before"]

    await store.conversations.record_message(message("second thread message"))
    with pytest.raises(RuntimeError, match="disk on fire"):
        await failing.open_ticket(draft(), "helpline")
    assert await store.tickets.get(2) is None
    assert [m.text for m in await store.conversations.conversation(THREAD)] == ["second thread message"]
    # SQLite's AUTOINCREMENT hands out 2 again; a PostgreSQL sequence never gives back a number it handed out,
    # even to a rolled-back insert, so numbers may skip there but are never reused.
    expected = 3 if engine.dialect.name == "postgresql" else 2
    assert (await store.tickets.open_ticket(draft(), "helpline")).number == expected


async def test_naive_datetimes_are_refused(engine: AsyncEngine) -> None:
    store = sql_stores(engine)
    with pytest.raises(StatementError, match="naive datetime"):
        await store.conversations.record_message(message("when?", at=datetime(2026, 3, 2, 9, 0)))
    assert await store.conversations.conversation(THREAD) == []
