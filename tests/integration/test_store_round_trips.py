"""How many times one customer message goes to the database: each round trip costs the desk's latency.

Counted with SQLAlchemy's cursor hook on a real SQLite store, so a change that adds a repeated read or a
transaction per message fails here rather than only showing up in the benchmark (docs/benchmarks.md).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from config.settings import DEFAULT_TIERS_FILE, Settings
from config.tiers import load_tiers
from core.clock import ManualClock
from core.desk.context import Moderators
from core.desk.pipeline import SupportDesk
from core.messages import Address, Author, IncomingMessage, ReplyKind
from core.store.engine import create_engine_for, sqlite_url
from core.store.migrate import upgrade_schema
from core.store.sql_store import sql_stores
from tests.desk_fakes import START, RecordingNotifier, fake_system

pytestmark = pytest.mark.asyncio


class Trips:
    """The statements sent to the database, as SQLite receives them."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.statements: list[str] = []
        event.listen(engine.sync_engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        self.statements.append(" ".join(statement.split()))

    def count(self, start: str) -> int:
        return sum(1 for statement in self.statements if statement.startswith(start))


@pytest_asyncio.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = create_engine_for(sqlite_url(tmp_path / "helpline.sqlite3"))
    try:
        await upgrade_schema(engine)
        yield engine
    finally:
        await engine.dispose()


def desk_on(engine: AsyncEngine) -> SupportDesk:
    system = fake_system(
        Settings(),
        tiers=load_tiers(DEFAULT_TIERS_FILE),
        stores=sql_stores(engine),
        notifier=RecordingNotifier(),
        clock=ManualClock(START),
        moderators=Moderators(frozenset({"moderator"})),
    )
    return system.desk


async def test_a_question_answered_in_a_new_thread_takes_few_statements_and_no_begin_for_reads(
    engine: AsyncEngine,
) -> None:
    desk = desk_on(engine)
    warm = IncomingMessage(Address("slack", "T1", "C1", "t0"), Author("ana", "Ana"), "how do I turn on 2fa", "m0")
    await desk.handle(warm)  # the pool's first connection and the migrations' leftovers are not the message's
    trips = Trips(engine)

    message = IncomingMessage(Address("slack", "T1", "C1", "t1"), Author("ana", "Ana"), "how do I turn on 2fa", "m1")
    [reply] = await desk.handle(message)

    assert reply.kind is ReplyKind.ANSWER
    # Reads go alone, without a BEGIN of their own; only the two writes (the question kept, the answer kept) begin.
    assert trips.count("BEGIN") == trips.count("BEGIN IMMEDIATE") == 2
    assert len(trips.statements) <= 6, trips.statements  # the votes, the thread's latest ticket, two writes
