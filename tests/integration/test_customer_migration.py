"""0015_customers on SQLite and PostgreSQL: its tables come and go with the revision, and ``helpline serve``'s
start (``build_system``) seeds them from tiers.yaml's ``customers:`` once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from alembic import command
from sqlalchemy import inspect
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from bots.bootstrap import build_system
from config.intents import load_intents
from config.settings import DEFAULT_INTENTS_FILE, DEFAULT_TIERS_FILE, load_settings
from config.tiers import load_tiers
from core.store.engine import create_engine_for, writer
from core.store.migrate import alembic_config, upgrade_schema
from core.tiers import Customer, TierDirectory
from tests.desk_fakes import RULES, KeywordUnderstander, RecordingNotifier

pytestmark = pytest.mark.asyncio

TABLES = {
    "customer_accounts",
    "customer_people",
    "customer_identities",
    "customer_usage",
    "customer_link_codes",
    "customer_link_failures",
    "customer_link_events",
}


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


async def test_downgrading_0015_drops_the_customer_tables_and_upgrading_brings_them_back(engine: AsyncEngine) -> None:
    await upgrade_schema(engine)
    assert await _tables(engine) >= TABLES

    def down(connection: Connection) -> None:
        command.downgrade(alembic_config(connection), "0014_articles")

    async with writer(engine).begin() as connection:
        await connection.run_sync(down)
    left = await _tables(engine)
    assert not TABLES & left and "tickets" in left
    await upgrade_schema(engine)
    assert await _tables(engine) >= TABLES


async def test_start_seeds_tiers_yaml_customers_once_and_keeps_the_stores_word(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HELPLINE_DATA_DIR", str(tmp_path / "data"))
    settings = load_settings(None)
    base = load_tiers(DEFAULT_TIERS_FILE)
    tiers = base.with_customer(Customer("acme", "Acme Corp", "enterprise", ("slack:U0ACME1", "discord:81234")))
    catalog = load_intents(DEFAULT_INTENTS_FILE)

    async def start(directory: TierDirectory) -> None:
        system = await build_system(
            settings,
            notifier=RecordingNotifier(),
            understander=KeywordUnderstander(catalog, RULES),
            catalog=catalog,
            tiers=directory,
        )
        try:
            account = await system.stores.customers.get("acme")
            assert account is not None and account.tier == "enterprise"
            people = await system.stores.customers.people("acme")
            assert sorted(i for p in people for i in p.identities) == ["discord:81234", "slack:U0ACME1"]
        finally:
            if system.engine is not None:
                await system.engine.dispose()

    await start(tiers)
    # tiers.yaml now says professional; the store's account (seeded before) still decides.
    await start(base.with_customer(Customer("acme", "Acme Corp", "professional", ("slack:U0ACME1",))))
