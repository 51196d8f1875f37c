"""Proactive outreach's check over many accounts on SQLite: the first check (every trigger due) and an idle one.

Run from the repository root::

    .venv/bin/python -m benchmarks.outreach_check [--accounts 1000]

Each account is enterprise (24x7), with a CSM, a contract started 60 days ago, a renewal in 30 to 69 days, a
health history falling below 70 and 50, and a usage report (12 active users, plan usage 50 % to 99 %, adoption
20 %), so the first check runs most of the shipped playbooks for every account; the second finds everything
recorded. Everything lives in a temporary folder.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from config.playbooks_config import load_playbooks
from config.settings import DEFAULT_TIERS_FILE
from config.tiers import load_tiers
from core.clock import ManualClock
from core.customers.health_history import HealthDay
from core.customers.outreach_pass import OutreachPass
from core.customers.records import Account, AccountEntry, PersonDraft, Usage
from core.store.engine import create_engine_for, sqlite_url
from core.store.migrate import upgrade_schema
from core.store.sql_store import sql_stores

NOW = datetime(2026, 12, 3, 9, tzinfo=UTC)


def _account(n: int) -> AccountEntry:
    account = Account(
        f"a{n}",
        f"Account {n}",
        "enterprise",
        csm="slack:U0CSM",
        contract_start=NOW.date() - timedelta(days=60),
        renewal_date=NOW.date() + timedelta(days=30 + n % 40),
        seats=20,
    )
    return AccountEntry(account, (PersonDraft(f"Person {n}", (f"slack:U{n}",)),))


async def run(accounts: int) -> None:
    """Build the accounts, then time two checks."""
    with tempfile.TemporaryDirectory() as folder:
        engine = create_engine_for(sqlite_url(Path(folder) / "helpline.sqlite3"))
        try:
            await upgrade_schema(engine)
            stores = sql_stores(engine)
            await stores.customers.save([_account(n) for n in range(accounts)], NOW)
            for n in range(accounts):
                for days, score in ((2, 80), (1, 65), (0, 45)):
                    day = HealthDay(f"a{n}", NOW.date() - timedelta(days=days), score, "At risk", (), NOW)
                    await stores.health.add(day)
                usage = Usage(f"a{n}", NOW, active_users=12, plan_usage=0.5 + (n % 50) / 100, feature_adoption=0.2)
                await stores.customers.record_usage(usage)
            tiers = load_tiers(DEFAULT_TIERS_FILE)
            policy = load_playbooks(tiers=[t.name for t in tiers.tiers])
            for label in ("first check (playbooks due)", "second check (all recorded)"):
                outreach = OutreachPass(stores, tiers, ManualClock(NOW), policy)
                start = time.perf_counter()
                kept = await outreach.run_once()
                took = time.perf_counter() - start
                print(f"{label}: {kept} actions kept in {took:.2f} s ({took / accounts * 1000:.1f} ms per account)")
        finally:
            await engine.dispose()


def main() -> None:
    """Parse the options and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=1000)
    asyncio.run(run(parser.parse_args().accounts))


if __name__ == "__main__":
    main()
