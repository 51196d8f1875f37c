"""Async engines for the ticket store, with SQLite tuned for several writers sharing one file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

# Execution option that marks a connection as one that will write; on SQLite it takes the
# write lock up front (BEGIN IMMEDIATE) so a transaction never has to upgrade a read lock.
WRITE_OPTION = "helpline_write"

DEFAULT_BUSY_TIMEOUT_MS = 5000


def sqlite_url(path: Path) -> str:
    """The ``sqlite+aiosqlite`` URL of a database file, creating its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite+aiosqlite:///{path}"


def create_engine_for(url: str, *, echo: bool = False, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS) -> AsyncEngine:
    """An async engine for ``url``; SQLite gets WAL, a busy timeout, foreign keys and explicit BEGINs."""
    engine = create_async_engine(url, echo=echo)
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine.sync_engine, busy_timeout_ms)
    return engine


def writer(engine: AsyncEngine) -> AsyncEngine:
    """The same engine (and pool) whose transactions are write transactions."""
    return engine.execution_options(**{WRITE_OPTION: True})


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    pragmas = (
        "PRAGMA journal_mode=WAL",
        f"PRAGMA busy_timeout={int(busy_timeout_ms)}",
        "PRAGMA foreign_keys=ON",
        "PRAGMA synchronous=NORMAL",
    )

    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # pysqlite's legacy mode would BEGIN lazily (and never for SELECTs); SQLAlchemy's
        # documented recipe switches that off and lets on_begin issue the BEGIN itself.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            for pragma in pragmas:
                cursor.execute(pragma)
        finally:
            cursor.close()

    def on_begin(connection: Connection) -> None:
        # A deferred BEGIN that later writes can fail at once with "database is locked" in WAL
        # mode (the busy timeout does not apply to lock upgrades), hence IMMEDIATE for writers.
        write = bool(connection.get_execution_options().get(WRITE_OPTION, False))
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    event.listen(engine, "connect", on_connect)
    event.listen(engine, "begin", on_begin)
