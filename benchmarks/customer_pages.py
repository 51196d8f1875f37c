"""The dashboard's Customers list and an account's page, assembled from a migrated SQLite file.

Run from the repository root::

    /work/venv/bin/python -m benchmarks.customer_pages [--accounts 500] [--runs 5]

Each account has two people and 30 days of kept health scores; there are two active tickets per account. It
times ``core.customers.portfolio.portfolio`` (the list: accounts, people, scores and active tickets in four
reads) and ``core.customers.profile.account_profile`` (one account's page, with its score computed afresh).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from core.customers.health_history import HealthDay
from core.customers.portfolio import portfolio
from core.customers.profile import account_profile
from core.customers.records import Account, AccountEntry, PersonDraft
from core.messages import Address
from core.store.engine import create_engine_for, sqlite_url
from core.store.migrate import upgrade_schema
from core.store.sql_store import sql_stores
from core.stores import Stores
from core.tickets.records import NewTicket, Priority

NOW = datetime(2026, 12, 3, 6, tzinfo=UTC)


async def _fill(stores: Stores, accounts: int) -> None:
    entries = [
        AccountEntry(
            Account(f"a{i}", f"Account {i}", "enterprise", seats=10),
            (PersonDraft("P", (f"slack:U{i}A",)), PersonDraft("Q", (f"slack:U{i}B",))),
        )
        for i in range(accounts)
    ]
    await stores.customers.save(entries, NOW)
    for i in range(accounts):
        for days in range(30):
            at = NOW - timedelta(days=days)
            await stores.health.add(HealthDay(f"a{i}", at.date(), 60 + days % 30, "At risk", (), at))
    for j in range(2 * accounts):
        i, where = j % accounts, Address("slack", "T1", "C1", f"{j}.1")
        opened = NOW - timedelta(days=j % 20)
        draft = NewTicket(f"a{i}", "enterprise", where, f"U{i}A", "P", "x", None, Priority.LOW, opened, None, None)
        await stores.tickets.open_ticket(draft, "helpline")


async def _time(work: Callable[[], Awaitable[Any]], runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        await work()
        times.append((time.perf_counter() - start) * 1000)
    return times


async def main(accounts: int, runs: int) -> None:
    """Fill a store and print the median and maximum of each assembly."""
    with tempfile.TemporaryDirectory() as folder:
        engine = create_engine_for(sqlite_url(Path(folder) / "helpline.sqlite3"))
        try:
            await upgrade_schema(engine)
            stores = sql_stores(engine)
            await _fill(stores, accounts)
            for label, work in (
                (f"customers list, {accounts} accounts", lambda: portfolio(stores, NOW)),
                ("one account's page", lambda: account_profile(stores, "a7", NOW)),
            ):
                times = await _time(work, runs)
                print(f"{label}: median {statistics.median(times):.0f} ms, max {max(times):.0f} ms")
        finally:
            await engine.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=500)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    asyncio.run(main(args.accounts, args.runs))
