"""The dashboard's overview on SQLite: how long its first request takes, and a repeat within the minute.

Run from the repository root::

    /work/venv/bin/python -m benchmarks.overview_page [--tickets 10000] [--since 7d]

The tickets are ``benchmarks.report_scale``'s bulk-inserted data set (spread over 90 days). A first request
builds two reports (the period and the one before), draws the four charts and renders the page; a repeat
in the same minute is served from the overview's cache.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from starlette.applications import Starlette
from starlette.testclient import TestClient

from benchmarks import report_scale
from bots.web.app import dashboard_routes
from bots.web.deps import DashboardDeps
from config.tiers import load_tiers
from core.analytics.policy import ReportPolicy
from core.clock import ManualClock
from core.staff.records import StaffRole
from core.store.engine import create_engine_for, sqlite_url
from core.store.sql_store import sql_stores
from tests.desk_fakes import make_harness
from tests.staff_fakes import staff_fakes
from tests.web_fakes import FixedGate, viewer

TIERS_FILE = Path(__file__).resolve().parents[1] / "config" / "tiers.yaml"


def _time(client: TestClient, path: str) -> float:
    started = time.perf_counter()
    response = client.get(path)
    assert response.status_code == 200, response.text[-400:]
    return time.perf_counter() - started


def main() -> None:
    """Fill a database, then time the overview cold, warm (cached) and the report page."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=10_000)
    parser.add_argument("--since", default="7d")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = sqlite_url(Path(tmp) / "bench.sqlite3")
        fill = asyncio.run(report_scale._fill(url, args.tickets))
        engine = create_engine_for(url)
        staff, sessions = staff_fakes()
        harness = make_harness()  # only for a desk; the pages read the SQLite stores
        deps = DashboardDeps(
            desk=harness.desk, stores=sql_stores(engine), staff=staff, sessions=sessions,
            clock=ManualClock(report_scale.T0 + timedelta(days=90)), tiers=load_tiers(TIERS_FILE),
            gate=FixedGate(viewer(StaffRole.LEAD)), report_policy=ReportPolicy(), public_url="http://127.0.0.1",
        )  # fmt: skip
        with TestClient(Starlette(routes=dashboard_routes(deps))) as client:
            cold = _time(client, f"/dashboard/overview?since={args.since}")
            warm = _time(client, f"/dashboard/overview?since={args.since}")
            other = _time(client, f"/dashboard/overview?since={args.since}&business_hours=1")
            report = _time(client, f"/dashboard/reports?since={args.since}")
        print(
            f"{args.tickets} tickets (filled in {fill:.1f} s), since={args.since}: overview first {cold:.2f} s, "
            f"repeat in the minute {warm * 1000:.0f} ms, business hours first {other:.2f} s; report page {report:.2f} s"
        )


if __name__ == "__main__":
    main()
