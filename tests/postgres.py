"""A real PostgreSQL for the tests marked ``postgres``: pgserver's, or the one named by an environment variable.

Set ``HELPLINE_TEST_POSTGRES_URL`` (e.g. ``postgresql://user:secret@db.internal:5432/postgres``) to run those
tests on an existing server; the user needs ``CREATEDB``. Otherwise the PyPI package ``pgserver`` starts a
throw-away PostgreSQL 16 for the session. Either way each test gets a database of its own, dropped after it.
If no server can be reached the tests error out: they are never skipped.
"""

from __future__ import annotations

import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

ENV_URL = "HELPLINE_TEST_POSTGRES_URL"
ASYNC_DRIVER = "postgresql+asyncpg"


def async_url(url: str, database: str | None = None) -> URL:
    """``url`` with the asyncpg driver, pointing at ``database`` when one is given."""
    parsed = make_url(url).set(drivername=ASYNC_DRIVER)
    return parsed if database is None else parsed.set(database=database)


def render(url: URL) -> str:
    """The URL as a string, password included (for engines, never for logs)."""
    return url.render_as_string(hide_password=False)


def started_server(data_dir: Path) -> Iterator[str]:
    """Start pgserver's PostgreSQL in ``data_dir``; yields its admin URL and stops (and deletes) it afterwards."""
    with warnings.catch_warnings():
        # pgserver asks platformdirs for a runtime folder at import; without XDG_RUNTIME_DIR it warns and uses /tmp.
        warnings.simplefilter("ignore")
        from pgserver.postgres_server import get_server

    try:
        server = get_server(data_dir, cleanup_mode="delete")
    except Exception as error:
        log = data_dir / "log"
        detail = log.read_text(errors="replace")[-2000:] if log.exists() else "(no server log)"
        raise RuntimeError(f"pgserver could not start PostgreSQL in {data_dir}: {error}\n{detail}") from error
    try:
        yield server.get_uri()
    finally:
        server.cleanup()


async def create_database(admin_url: str) -> str:
    """Create an empty database on the server and return its asyncpg URL."""
    name = f"helpline_test_{uuid.uuid4().hex[:16]}"
    await _admin(admin_url, f'CREATE DATABASE "{name}"')
    return render(async_url(admin_url, name))


async def drop_database(admin_url: str, url: str) -> None:
    """Drop a database made by ``create_database``, closing whatever connections a test left open."""
    name = make_url(url).database
    await _admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def _admin(admin_url: str, statement: str) -> None:
    # CREATE/DROP DATABASE cannot run inside a transaction block, hence AUTOCOMMIT.
    engine = create_async_engine(render(async_url(admin_url)), poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.execute(text(statement))
    finally:
        await engine.dispose()
