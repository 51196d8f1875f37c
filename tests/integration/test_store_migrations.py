"""Upgrading and downgrading a database (SQLite and PostgreSQL) between shipped revisions keeps its data."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import pytest_asyncio
import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import event, insert, inspect, text, update
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from core.messages import Address, FileRef
from core.store import rows
from core.store.engine import create_engine_for, writer
from core.store.migrate import alembic_config, upgrade_schema
from core.store.schema import deflections, escalations, messages, ticket_events, tickets
from core.store.sql_store import sql_stores
from core.tickets.records import ConversationMessage, NewTicket, Priority, Role, TicketChange, TicketEvent
from tests.deflections import counted_deflections

pytestmark = pytest.mark.asyncio

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
THREAD = Address("slack", "T1", "C1", "1700000000.1")


@pytest_asyncio.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """An empty database of each engine, closed at teardown."""
    engine = create_engine_for(database_url)
    try:
        yield engine
    finally:
        await engine.dispose()


async def _migrate(engine: AsyncEngine, direction: str, revision: str) -> None:
    def run(connection: Connection) -> None:
        getattr(command, direction)(alembic_config(connection), revision)

    async with writer(engine).begin() as connection:
        await connection.run_sync(run)


async def _state(engine: AsyncEngine) -> tuple[list[str], set[str]]:
    """The database's revision and the names of its tables and indexes."""
    async with engine.connect() as conn:
        version = list((await conn.execute(text("SELECT version_num FROM alembic_version"))).scalars())
        names = await conn.run_sync(_schema_names)
    return version, names


def _schema_names(connection: Connection) -> set[str]:
    inspector = inspect(connection)
    tables = set(inspector.get_table_names())
    indexes = {str(index["name"]) for table in tables for index in inspector.get_indexes(table)}
    return tables | indexes


async def _open_before_sla(engine: AsyncEngine, new: NewTicket) -> int:
    """Open a ticket the way the store did before revision 0004_sla added columns to ``tickets``."""
    later = {"next_response_due", "language", "frustrated"}  # added by 0004_sla and 0006_ticket_language
    legacy = sa.table("tickets", *(sa.column(c.name, c.type) for c in tickets.c if c.name not in later))
    values = {key: value for key, value in rows.ticket_values(new).items() if key not in later}
    async with writer(engine).begin() as conn:
        # RETURNING, not lastrowid: asyncpg has no lastrowid, and this runs on PostgreSQL too.
        inserted: sa.Executable = legacy.insert().values(values).returning(sa.column("id"))
        number = int((await conn.execute(inserted)).scalar_one())
        loose = messages.c.ticket_id.is_(None)
        await conn.execute(update(messages).where(loose).values(ticket_id=number))
        opened = TicketEvent(number, new.created_at, "helpline", "opened", rows.opened_detail(new))
        await conn.execute(insert(ticket_events).values(rows.event_values(opened)))
    return number


async def _keep_before_passages(engine: AsyncEngine, message: ConversationMessage) -> None:
    """Keep a message the way the store did before 0013_answer_feedback added ``messages.citation_passage``."""
    legacy = sa.table("messages", *(sa.column(c.name, c.type) for c in messages.c if c.name != "citation_passage"))
    values = {key: value for key, value in rows.message_values(message, None).items() if key != "citation_passage"}
    async with writer(engine).begin() as conn:
        await conn.execute(legacy.insert().values(values))


def head() -> str:
    """The newest shipped revision (branches being merged re-number theirs)."""
    return str(ScriptDirectory.from_config(alembic_config()).get_current_head())


def draft(minutes: int = 0) -> NewTicket:
    created = T0 + timedelta(minutes=minutes)
    return NewTicket("acme", "pro", THREAD, "U1", "Ada", "Builds fail", None, Priority.HIGH, created, None, None)


async def test_upgrading_from_0001_keeps_tickets_and_messages(engine: AsyncEngine) -> None:
    await _migrate(engine, "upgrade", "0001")
    version, names = await _state(engine)
    assert (version, "deliveries" in names, "ix_tickets_requester" in names) == (["0001"], False, False)
    await _keep_before_passages(
        engine, ConversationMessage(THREAD, "U1", "Ada", Role.CUSTOMER, "help", T0, external_id="m1")
    )
    number = await _open_before_sla(engine, draft())

    await upgrade_schema(engine)
    version, names = await _state(engine)
    assert version == [head()]
    assert {"deliveries", "ix_deliveries_received_at", "ix_tickets_requester"} <= names
    store = sql_stores(engine)
    opened = await store.tickets.get(number)
    assert opened is not None and (opened.subject, opened.created_at, opened.requester_id) == ("Builds fail", T0, "U1")
    assert [m.text for m in await store.conversations.messages(opened.number)] == ["help"]
    assert [e.kind for e in await store.tickets.events(opened.number)] == ["opened"]
    assert await store.tickets.tickets_opened_by("slack", "U1", T0) == [opened]
    assert await store.deliveries.claim_delivery("slack", "Ev1", T0)
    assert (await store.tickets.open_ticket(draft(1), "helpline")).number == opened.number + 1


async def test_the_ticket_limit_query_uses_the_requester_index(engine: AsyncEngine) -> None:
    await upgrade_schema(engine)
    store = sql_stores(engine)
    for minutes in range(3):
        await store.tickets.open_ticket(draft(minutes), "helpline")
    seen: list[tuple[str, Any]] = []

    def remember(_conn: Connection, _cursor: Any, statement: str, parameters: Any, *_args: Any) -> None:
        if statement.startswith("SELECT"):
            seen.append((statement, parameters))

    event.listen(engine.sync_engine, "before_cursor_execute", remember)
    try:
        assert len(await store.tickets.tickets_opened_by("slack", "U1", T0)) == 3
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", remember)
    [(statement, parameters)] = seen
    async with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            # Three rows make a sequential scan cheapest; forbid it to see whether the index can serve the query.
            await conn.exec_driver_sql("SET enable_seqscan = off")
            plan = (await conn.exec_driver_sql(f"EXPLAIN {statement}", parameters)).all()
        else:
            plan = (await conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)).all()
    assert any("ix_tickets_requester" in str(row) for row in plan), plan


async def test_downgrading_to_0001_drops_only_what_0002_added(engine: AsyncEngine) -> None:
    await upgrade_schema(engine)
    store = sql_stores(engine)
    opened = await store.tickets.open_ticket(draft(), "helpline")
    await store.deliveries.claim_delivery("github", "d1", T0)

    await _migrate(engine, "downgrade", "0001")
    version, names = await _state(engine)
    assert version == ["0001"]
    assert not {"deliveries", "ix_deliveries_received_at", "ix_tickets_requester"} & names
    async with engine.connect() as conn:
        kept = (await conn.execute(text("SELECT id, subject FROM tickets"))).all()
    assert [tuple(row) for row in kept] == [(opened.number, opened.subject)]

    await upgrade_schema(engine)
    assert await store.deliveries.claim_delivery("github", "d1", T0)  # the claims went with their table


async def test_upgrading_to_0004_backfills_the_timers_of_open_tickets(engine: AsyncEngine) -> None:
    await _migrate(engine, "upgrade", "0002")
    due = dataclasses.replace(
        draft(), first_response_due=T0 + timedelta(hours=2), resolution_due=T0 + timedelta(days=1)
    )
    escalated = await _open_before_sla(engine, due)
    waiting = await _open_before_sla(engine, dataclasses.replace(due, created_at=T0 + timedelta(minutes=1)))
    async with writer(engine).begin() as conn:  # the old worker escalated the first one's first response
        values = {"ticket_id": escalated, "deadline": "first_response", "level": 1, "target": "console"}
        await conn.execute(insert(escalations).values(**values, at=T0 + timedelta(hours=3)))

    await upgrade_schema(engine)
    store = sql_stores(engine)
    timers = await store.timers.timers(escalated)
    assert [(t.clock, t.level, t.due, t.fired_at) for t in timers] == [
        ("first_response", 1, T0 + timedelta(hours=2), T0 + timedelta(hours=3)),  # already sent: never again
        ("resolution", 1, T0 + timedelta(days=1), None),
    ]
    assert [t.fired_at for t in await store.timers.timers(waiting)] == [None, None]
    # Nothing fired is due again; the resolution deadline is, once it passes.
    later = T0 + timedelta(days=2)
    due_work = await store.timers.claim_due(later, 10, "w", timedelta(minutes=1))
    assert sorted((w.ticket, w.clock) for w in due_work) == [
        (escalated, "resolution"),
        (waiting, "first_response"),
        (waiting, "resolution"),
    ]
    assert await store.timers.sla_fingerprint() is None  # so the worker plans everything again at its first start

    await _migrate(engine, "downgrade", "0002")
    version, names = await _state(engine)
    assert version == ["0002"] and not {"sla_timers", "outbox", "store_meta"} & names
    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT COUNT(*) FROM tickets"))).scalar() == 2


async def test_upgrading_to_0005_keeps_the_resolutions_counted_before(engine: AsyncEngine) -> None:
    await _migrate(engine, "upgrade", "0004_sla")
    legacy = sa.table("deflections", *(sa.column(c.name, c.type) for c in deflections.c if c.name != "answer"))
    row = {**rows.address_values(THREAD), "question": "q", "url": "https://d/q", "at": T0}
    async with writer(engine).begin() as conn:
        await conn.execute(legacy.insert().values([row, row]))  # two presses, counted twice back then

    await upgrade_schema(engine)
    store = sql_stores(engine)
    assert await counted_deflections(store) == 2
    for _ in range(2):
        await store.statistics.record_deflection(THREAD, "q", "https://d/q", T0, answer="a1")
    assert await counted_deflections(store) == 3

    await _migrate(engine, "downgrade", "0004_sla")
    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT COUNT(*) FROM deflections"))).scalar() == 3


async def test_upgrading_to_0006_keeps_old_tickets_and_stores_the_language(engine: AsyncEngine) -> None:
    await _migrate(engine, "upgrade", "0002")
    old = await _open_before_sla(engine, draft())

    await upgrade_schema(engine)
    store = sql_stores(engine)
    kept = await store.tickets.get(old)
    assert kept is not None and (kept.subject, kept.language, kept.frustrated) == ("Builds fail", "", False)
    german = await store.tickets.open_ticket(dataclasses.replace(draft(1), language="de", frustrated=True), "helpline")
    read = await store.tickets.get(german.number)
    assert read is not None and (read.language, read.frustrated) == ("de", True)
    flagged = await store.tickets.update(old, TicketChange(frustrated=True), TicketEvent(old, T0, "helpline", "x"))
    assert flagged.frustrated and (await store.tickets.get(old)) == flagged

    await _migrate(engine, "downgrade", "0004_sla")
    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT COUNT(*) FROM tickets"))).scalar() == 2


async def test_downgrading_0013_drops_the_votes_and_keeps_the_answers(engine: AsyncEngine) -> None:
    await upgrade_schema(engine)
    answer = ConversationMessage(THREAD, "helpline", "Helpline", Role.BOT, "Raise the limit", T0, external_id="b1")
    await sql_stores(engine).conversations.record_message(answer)
    await _migrate(engine, "downgrade", "0012_message_files")
    version, names = await _state(engine)
    assert version == ["0012_message_files"] and "answer_feedback" not in names and "ix_answer_feedback_at" not in names
    async with engine.connect() as conn:
        kept = (await conn.execute(text("SELECT text FROM messages"))).scalars().all()
    assert kept == ["Raise the limit"]
    await upgrade_schema(engine)
    assert (await _state(engine))[0] == [head()]


async def test_upgrading_to_0012_keeps_old_messages_and_stores_files_as_json(engine: AsyncEngine) -> None:
    await _migrate(engine, "upgrade", "0011_staff")
    old = sql_stores(engine)
    await old.conversations.record_message(ConversationMessage(THREAD, "U1", "Ada", Role.CUSTOMER, "help", T0))

    await upgrade_schema(engine)
    store = sql_stores(engine)
    shot = FileRef("crash.png", "https://files.example.com/F1/crash.png", "image/png", 48213)
    later = T0 + timedelta(minutes=1)
    await store.conversations.record_message(
        ConversationMessage(THREAD, "U1", "Ada", Role.CUSTOMER, "", later, files=(shot,))
    )
    assert [m.files for m in await store.conversations.conversation(THREAD)] == [(), (shot,)]
    async with engine.connect() as conn:
        stored = (await conn.execute(text("SELECT files FROM messages ORDER BY id"))).scalars().all()
    assert stored[0] is None
    assert json.loads(stored[1]) == [{"name": "crash.png", "url": shot.url, "media_type": "image/png", "size": 48213}]

    await _migrate(engine, "downgrade", "0011_staff")
    version, _ = await _state(engine)
    async with engine.connect() as conn:
        kept = (await conn.execute(text("SELECT text FROM messages ORDER BY id"))).scalars().all()
    assert (version, kept) == (["0011_staff"], ["help", ""])
