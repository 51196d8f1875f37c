"""What the store costs one message through ``SupportDesk.handle``: latency, statements, aiosqlite hand-offs.

The desk understands by keywords (the tests' ``KeywordUnderstander``), so what is timed is the desk and its SQLite
store alone; add the raw encode of the configured model (``benchmarks.speed``) for a message's whole latency.
Run from the repository root (``--messages`` per kind of message, eight kinds)::

    .venv/bin/python -m benchmarks.desk_store [--messages 40]

Every aiosqlite call is a hand-off between the event loop and the driver's thread, the main cost per statement.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import aiosqlite.core
from sqlalchemy import event

from config.settings import DEFAULT_TIERS_FILE, Settings
from config.tiers import load_tiers
from core.clock import ManualClock
from core.desk.context import Moderators
from core.messages import Address, Author, IncomingMessage
from core.store.engine import create_engine_for, sqlite_url
from core.store.migrate import upgrade_schema
from core.store.sql_store import sql_stores
from tests.desk_fakes import START, RecordingNotifier, fake_system

# A question answered, an outage ticket, a greeting, a billing question, a crash, one out of scope, two unclear.
TEXTS = (
    "how do I turn on 2fa",
    "the whole API is down for us",
    "hello there",
    "where is my invoice",
    "the app keeps crashing on start",
    "what is the weather like",
    "can I export my data to csv",
    "the dashboard is slow today",
)

_handoffs: Counter[str] = Counter()
_execute = aiosqlite.core.Connection._execute


async def _counted(self: aiosqlite.core.Connection, fn: Any, *args: Any, **kwargs: Any) -> Any:
    _handoffs[getattr(fn, "__qualname__", "other")] += 1
    return await _execute(self, fn, *args, **kwargs)  # type: ignore[no-untyped-call]


def _percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def run(rounds: int, folder: Path) -> str:
    """The desk on a fresh SQLite file, ``rounds`` times every text, each in a new thread; returns the summary."""
    aiosqlite.core.Connection._execute = _counted  # type: ignore[method-assign]
    engine = create_engine_for(sqlite_url(folder / "helpline.sqlite3"))
    await upgrade_schema(engine)
    statements: Counter[str] = Counter()
    event.listen(engine.sync_engine, "before_cursor_execute", lambda *a: statements.update([a[2].split()[0]]))
    system = fake_system(
        Settings(),
        tiers=load_tiers(DEFAULT_TIERS_FILE),
        stores=sql_stores(engine),
        notifier=RecordingNotifier(),
        clock=ManualClock(START),
        moderators=Moderators(frozenset({"moderator"})),
    )
    seconds: list[float] = []
    for warm in (True, False):
        statements.clear()
        _handoffs.clear()
        for n in range(2 if warm else rounds):
            for i, text in enumerate(TEXTS):
                thread = Address("slack", "T1", "C1", f"{warm}-{n}-{i}")
                message = IncomingMessage(thread, Author(f"u{i}", "U"), text, f"{warm}-{n}-{i}")
                started = time.perf_counter()
                await system.desk.handle(message)
                if not warm:
                    seconds.append(time.perf_counter() - started)
    await engine.dispose()
    count = len(seconds)
    per = ", ".join(f"{name} {value / count:.2f}" for name, value in _handoffs.most_common())
    p50, p99 = (_percentile(seconds, share) * 1000 for share in (0.5, 0.99))
    return (
        f"messages {count}; p50 {p50:.2f} ms, p99 {p99:.2f} ms\n"
        f"statements per message {sum(statements.values()) / count:.2f} ({dict(statements)})\n"
        f"aiosqlite hand-offs per message {sum(_handoffs.values()) / count:.2f} ({per})"
    )


def main(argv: Sequence[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.desk_store", description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=40, help="messages of each kind (default 40)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="helpline-desk-") as tmp:
        print(asyncio.run(run(args.messages, Path(tmp))))


if __name__ == "__main__":
    main()
