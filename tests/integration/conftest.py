"""Fixtures shared by the store contract tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from core.ports import TicketStore
from core.store import SqlTicketStore, create_engine_for, sqlite_url, upgrade_schema
from tests.fakes import InMemoryTicketStore


@pytest_asyncio.fixture(params=["memory", "sqlite"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[TicketStore]:
    """A fresh, empty store of each kind: every contract test runs on the fake and on SQLite."""
    if request.param == "memory":
        yield InMemoryTicketStore()
        return
    engine = create_engine_for(sqlite_url(tmp_path / "data" / "helpline.sqlite3"))
    try:
        await upgrade_schema(engine)
        yield SqlTicketStore(engine)
    finally:
        await engine.dispose()
