"""Fixtures shared by the store contract tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from sqlalchemy.ext.asyncio import AsyncEngine

from core.store.engine import create_engine_for, sqlite_url
from core.store.migrate import upgrade_schema
from core.store.sql_store import sql_stores
from core.stores import Stores
from tests import postgres
from tests.fakes import memory_stores


@pytest_asyncio.fixture(params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Stores]:
    """A fresh, empty store of each kind: every contract test runs on the fake, on SQLite and on PostgreSQL."""
    if request.param == "memory":
        yield memory_stores()
        return
    if request.param == "sqlite":
        async for store in _sql_store(sqlite_url(tmp_path / "data" / "helpline.sqlite3")):
            yield store
        return
    server: str = request.getfixturevalue("postgres_server")
    url = await postgres.create_database(server)
    try:
        async for store in _sql_store(url):
            yield store
    finally:
        await postgres.drop_database(server, url)


async def _sql_store(url: str) -> AsyncIterator[Stores]:
    engine = create_engine_for(url)
    try:
        await upgrade_schema(engine)
        yield sql_stores(engine)
    finally:
        await engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of a fresh, empty database of each SQL engine (not yet migrated)."""
    if request.param == "sqlite":
        return sqlite_url(tmp_path / "helpline.sqlite3")
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest_asyncio.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """A migrated database of each SQL engine, disposed of after the test (a test file may define its own)."""
    made = create_engine_for(database_url)
    await upgrade_schema(made)
    try:
        yield made
    finally:
        await made.dispose()
