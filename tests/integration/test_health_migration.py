"""0019_health on SQLite and PostgreSQL: the score history comes and goes with the revision, the accounts stay."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio
from alembic import command
from sqlalchemy import inspect
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from core.store.engine import create_engine_for, writer
from core.store.migrate import alembic_config, upgrade_schema

pytestmark = pytest.mark.asyncio


@pytest_asyncio.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """An empty database of each engine."""
    engine = create_engine_for(database_url)
    try:
        yield engine
    finally:
        await engine.dispose()


async def _tables(engine: AsyncEngine) -> set[str]:
    async with engine.connect() as conn:
        return set(await conn.run_sync(lambda c: inspect(c).get_table_names()))


async def test_downgrading_0019_drops_only_the_health_history_and_upgrading_brings_it_back(
    engine: AsyncEngine,
) -> None:
    await upgrade_schema(engine)
    assert "customer_health" in await _tables(engine)

    def down(connection: Connection) -> None:
        command.downgrade(alembic_config(connection), "0018_intent_examples")

    async with writer(engine).begin() as connection:
        await connection.run_sync(down)
    left = await _tables(engine)
    assert "customer_health" not in left and "customer_accounts" in left
    await upgrade_schema(engine)
    assert "customer_health" in await _tables(engine)
