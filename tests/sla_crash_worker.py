"""A worker process for the crash-safety test: fires due SLA work into a SQLite store and "delivers" each notice
by appending it to a file (flushed and fsynced, as a platform that has received it). Exits 0 when nothing is left.

Run as ``python -m tests.sla_crash_worker DATABASE TIERS_FILE DELIVERIES``.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from datetime import timedelta
from pathlib import Path

from sqlalchemy import text

from config.tiers import load_tiers
from core.clock import SystemClock
from core.messages import Outbound
from core.sla.worker import EscalationWorker
from core.store.engine import create_engine_for, sqlite_url
from core.store.sql_store import sql_stores


class FileNotifier:
    """Appends every delivered notice to a file, durably, before reporting success."""

    def __init__(self, path: Path) -> None:
        self._path = path

    async def send(self, outbound: Outbound) -> None:
        """Record the notice as delivered."""
        line = json.dumps({"ticket": outbound.reply.ticket, "text": outbound.reply.text}) + "\n"
        with self._path.open("a", encoding="utf-8") as file:
            file.write(line)
            file.flush()
            os.fsync(file.fileno())


async def _left(store_engine: object) -> int:
    engine = store_engine
    async with engine.connect() as conn:  # type: ignore[attr-defined]
        timers = (await conn.execute(text("SELECT COUNT(*) FROM sla_timers WHERE fired_at IS NULL"))).scalar()
        unsent = (await conn.execute(text("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL"))).scalar()
    return int(timers or 0) + int(unsent or 0)


async def main(database: Path, tiers_file: Path, deliveries: Path) -> None:
    """Work until every due action fired and every notice was delivered."""
    engine = create_engine_for(sqlite_url(database))
    notifier = FileNotifier(deliveries)
    worker = EscalationWorker(
        sql_stores(engine),
        load_tiers(tiers_file),
        notifier,
        SystemClock(),
        batch=10,
        lease=timedelta(seconds=1),
        retry=timedelta(),
    )
    try:
        while await _left(engine):
            await worker.run_once()
            await asyncio.sleep(0.02)
    finally:
        await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])))
