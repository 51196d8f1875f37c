"""The ticket store: SQL tables, engines tuned for SQLite, migrations and the store itself."""

from __future__ import annotations

from core.store.engine import create_engine_for, sqlite_url
from core.store.migrate import upgrade_schema
from core.store.sql_store import SqlTicketStore

__all__ = ["SqlTicketStore", "create_engine_for", "sqlite_url", "upgrade_schema"]
