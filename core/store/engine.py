"""Async engines for the ticket store: SQLite tuned for several writers sharing one file, PostgreSQL for many hosts."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from core.files import private_dir, private_file

# Execution option that marks a connection as one that will write; on SQLite it takes the
# write lock up front (BEGIN IMMEDIATE) so a transaction never has to upgrade a read lock.
WRITE_OPTION = "helpline_write"

# Execution option that marks a connection as one that runs a single read; on SQLite it skips the
# BEGIN, since one statement in autocommit mode already reads one consistent snapshot.
ONE_READ_OPTION = "helpline_one_read"

DEFAULT_BUSY_TIMEOUT_MS = 5000

# The async driver used when a URL names only the database (``postgresql://``, ``sqlite://``).
_ASYNC_DRIVERS = {"postgresql": "asyncpg", "sqlite": "aiosqlite"}
_SUPPORTED = {"postgresql+asyncpg", "sqlite+aiosqlite"}


class DatabaseUrlError(ValueError):
    """A database URL the store cannot use; the message says which forms it accepts."""


def sqlite_url(path: Path) -> str:
    """The ``sqlite+aiosqlite`` URL of a database file, creating its folder (private: 0700)."""
    private_dir(path.parent)
    return f"sqlite+aiosqlite:///{path}"


def _make_sqlite_file_private(url: str) -> None:
    """Create a new SQLite database file with mode 0600 before SQLite does (it would use 0644).

    SQLite gives its ``-wal`` and ``-shm`` files the mode of the database file, so they are private too.
    """
    database = make_url(url).database
    if database and database != ":memory:" and not database.startswith("file:"):
        private_file(Path(database).expanduser())


def async_database_url(url: str) -> str:
    """``url`` with the async driver Helpline uses; ``postgres://`` and ``postgresql://`` mean asyncpg."""
    try:
        parsed = make_url(url)
    except ArgumentError as error:
        raise DatabaseUrlError(f"not a database URL: {error}") from None
    backend = "postgresql" if parsed.get_backend_name() == "postgres" else parsed.get_backend_name()
    driver = parsed.get_driver_name() if "+" in parsed.drivername else _ASYNC_DRIVERS.get(backend, "")
    name = f"{backend}+{driver}"
    if name not in _SUPPORTED:
        raise DatabaseUrlError(
            f"unsupported database {parsed.drivername!r}: use postgresql+asyncpg://USER:PASSWORD@HOST/DB "
            "or sqlite+aiosqlite:///PATH"
        )
    return parsed.set(drivername=name).render_as_string(hide_password=False)


def create_engine_for(url: str, *, echo: bool = False, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS) -> AsyncEngine:
    """An async engine for ``url``, tuned for its database.

    SQLite gets WAL, a busy timeout, foreign keys and explicit BEGINs; PostgreSQL gets a pool that
    checks a connection before handing it out, since a database restart or failover drops them all.
    """
    url = async_database_url(url)
    if url.startswith("postgresql"):
        return create_async_engine(url, echo=echo, pool_pre_ping=True)
    _make_sqlite_file_private(url)
    engine = create_async_engine(url, echo=echo)
    _configure_sqlite(engine.sync_engine, busy_timeout_ms)
    return engine


def writer(engine: AsyncEngine) -> AsyncEngine:
    """The same engine (and pool) whose transactions are write transactions."""
    return engine.execution_options(**{WRITE_OPTION: True})


def one_reader(engine: AsyncEngine) -> AsyncEngine:
    """The same engine (and pool) for connections that run one SELECT and nothing else (no BEGIN on SQLite)."""
    return engine.execution_options(**{ONE_READ_OPTION: True})


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    # The busy timeout comes first: switching a new file to WAL takes a lock that another process
    # opening the same file at that moment may hold, and without the timeout that fails at once.
    pragmas = (
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
            _switch_to_wal(cursor, busy_timeout_ms / 1000)
        finally:
            cursor.close()

    def on_begin(connection: Connection) -> None:
        # A deferred BEGIN that later writes can fail at once with "database is locked" in WAL
        # mode (the busy timeout does not apply to lock upgrades), hence IMMEDIATE for writers.
        options = connection.get_execution_options()
        if options.get("isolation_level") == "AUTOCOMMIT":  # VACUUM, which no transaction may hold
            return
        if options.get(ONE_READ_OPTION, False):  # a lone SELECT is its own transaction: one hand-off fewer
            return
        write = bool(options.get(WRITE_OPTION, False))
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    event.listen(engine, "connect", on_connect)
    event.listen(engine, "begin", on_begin)


def _switch_to_wal(cursor: Any, patience: float) -> None:
    """Put the file in WAL mode, waiting out another connection that is switching or migrating it.

    Changing the journal mode needs the file to itself, and SQLite answers "database is locked"
    at once, busy timeout or not, while another process holds it; so this waits for its turn.
    """
    deadline = time.monotonic() + patience
    while True:
        try:
            cursor.execute("PRAGMA journal_mode")
            if str(cursor.fetchone()[0]).lower() == "wal":
                return
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except Exception as error:  # sqlite3's OperationalError, however the driver wraps it
            if "database is locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


async def clock_skew(engine: AsyncEngine) -> timedelta | None:
    """How far this host's clock is ahead of the PostgreSQL server's (negative: behind); None on SQLite.

    Leases and due times are compared against each worker's own clock, so hosts must agree on the time.
    Measured as the server's ``now()`` against the midpoint of the round trip.
    """
    if engine.dialect.name != "postgresql":
        return None
    async with engine.connect() as conn:
        sent = datetime.now(UTC)
        server: datetime = (await conn.execute(text("SELECT now()"))).scalar_one()
        back = datetime.now(UTC)
    midpoint: datetime = sent + (back - sent) / 2
    return midpoint - server
