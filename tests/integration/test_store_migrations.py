"""Upgrading and downgrading a database (SQLite and PostgreSQL) between shipped revisions keeps its data."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import pytest_asyncio
from alembic import command
from sqlalchemy import event, inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from core.intents import Priority
from core.messages import Address
from core.store import SqlTicketStore, create_engine_for, upgrade_schema
from core.store.engine import writer
from core.store.migrate import alembic_config
from core.tickets import ConversationMessage, NewTicket, Role

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


def _head() -> str | None:
    """The newest shipped revision (whichever branch's migration was merged last)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def _schema_names(connection: Connection) -> set[str]:
    inspector = inspect(connection)
    tables = set(inspector.get_table_names())
    indexes = {str(index["name"]) for table in tables for index in inspector.get_indexes(table)}
    return tables | indexes


def draft(minutes: int = 0) -> NewTicket:
    created = T0 + timedelta(minutes=minutes)
    return NewTicket("acme", "pro", THREAD, "U1", "Ada", "Builds fail", None, Priority.HIGH, created, None, None)


async def test_upgrading_from_0001_keeps_tickets_and_messages(engine: AsyncEngine) -> None:
    await _migrate(engine, "upgrade", "0001")
    version, names = await _state(engine)
    assert (version, "deliveries" in names, "ix_tickets_requester" in names) == (["0001"], False, False)
    old = SqlTicketStore(engine)
    await old.record_message(ConversationMessage(THREAD, "U1", "Ada", Role.CUSTOMER, "help", T0, external_id="m1"))
    opened = await old.open_ticket(draft(), "helpline")

    await upgrade_schema(engine)
    version, names = await _state(engine)
    assert version == [_head()]
    assert {"deliveries", "ix_deliveries_received_at", "ix_tickets_requester"} <= names
    store = SqlTicketStore(engine)
    assert await store.get(opened.number) == opened
    assert [m.text for m in await store.messages(opened.number)] == ["help"]
    assert [e.kind for e in await store.events(opened.number)] == ["opened"]
    assert await store.tickets_opened_by("slack", "U1", T0) == [opened]
    assert await store.claim_delivery("slack", "Ev1", T0)
    assert (await store.open_ticket(draft(1), "helpline")).number == opened.number + 1


async def test_the_ticket_limit_query_uses_the_requester_index(engine: AsyncEngine) -> None:
    await upgrade_schema(engine)
    store = SqlTicketStore(engine)
    for minutes in range(3):
        await store.open_ticket(draft(minutes), "helpline")
    seen: list[tuple[str, Any]] = []

    def remember(_conn: Connection, _cursor: Any, statement: str, parameters: Any, *_args: Any) -> None:
        if statement.startswith("SELECT"):
            seen.append((statement, parameters))

    event.listen(engine.sync_engine, "before_cursor_execute", remember)
    try:
        assert len(await store.tickets_opened_by("slack", "U1", T0)) == 3
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
    store = SqlTicketStore(engine)
    opened = await store.open_ticket(draft(), "helpline")
    await store.claim_delivery("github", "d1", T0)

    await _migrate(engine, "downgrade", "0001")
    version, names = await _state(engine)
    assert version == ["0001"]
    assert not {"deliveries", "ix_deliveries_received_at", "ix_tickets_requester"} & names
    assert await store.get(opened.number) == opened

    await upgrade_schema(engine)
    assert await store.claim_delivery("github", "d1", T0)  # the claims went with their table
