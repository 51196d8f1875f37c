"""Bring a database's schema up to date with the Alembic revisions shipped in this package."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from core.store.engine import writer

MIGRATIONS = Path(__file__).resolve().parent / "migrations"

# Any fixed number, shared by every Helpline process on a database: the key of the migration lock.
_MIGRATION_LOCK = 0x48454C50  # "HELP"


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration built in code (no ``alembic.ini``), optionally bound to ``connection``."""
    config = Config()
    # ConfigParser interpolates "%", so a path containing one must be escaped.
    config.set_main_option("script_location", str(MIGRATIONS).replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


async def upgrade_schema(engine: AsyncEngine) -> None:
    """Run ``alembic upgrade head`` on ``engine`` in one write transaction; a no-op when up to date.

    Processes starting together take turns: SQLite's write lock (BEGIN IMMEDIATE) and, on PostgreSQL,
    a transaction-level advisory lock make the later ones wait and then find the schema current.
    """

    def upgrade(connection: Connection) -> None:
        command.upgrade(alembic_config(connection), "head")

    async with writer(engine).begin() as connection:
        if connection.dialect.name == "postgresql":
            await connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
        await connection.run_sync(upgrade)
