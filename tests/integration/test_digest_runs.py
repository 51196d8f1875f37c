"""The SQL ``DigestRuns``: a period is claimed once, and its notice is in the outbox with the claim."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest

from core.messages import Address, Attachment, Outbound, Reply, ReplyKind
from core.store.engine import create_engine_for, sqlite_url
from core.store.schema import metadata
from core.store.sql_store import sql_stores
from tests.unit.test_sla_events import TINY_PNG

NOW = datetime(2026, 12, 7, 8, tzinfo=UTC)


@pytest.mark.asyncio
async def test_two_claims_of_one_period_queue_one_notice_with_its_chart(tmp_path: Path) -> None:
    # Built from the tables, not the migrations: 0010 chains onto 0009, which lands with the read model.
    engine = create_engine_for(sqlite_url(tmp_path / "db.sqlite3"))
    try:
        async with engine.begin() as conn:
            await conn.run_sync(metadata.create_all)
        stores = sql_stores(engine)
        notice = Outbound(
            Address("slack", "", "C1", ""),
            Reply(ReplyKind.INFO, "Weekly support digest", attachments=(Attachment("d.png", "image/png", TINY_PNG),)),
        )
        key = "weekly:2026-12-07T08:00Z"
        results = await asyncio.gather(*(stores.digests.claim(key, f"w{n}", NOW, [notice]) for n in range(3)))
        assert sorted(results) == [False, False, True]
        assert await stores.digests.claimed(key) and not await stores.digests.claimed("weekly:2026-12-14T08:00Z")
        (item,) = await stores.outbox.outbox()
        assert item.ticket is None and item.outbound == notice
    finally:
        await engine.dispose()
