"""The dashboard on a desk harness, with a gate that lets a fixed viewer in: for the pages' tests.

The real gate (signed cookies, sessions, CSRF) has its own tests; page tests use ``FixedGate`` so they read
as "a lead opens the overview". ``FixedGate.csrf`` is what a POST must carry (field ``csrf_token``).
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.testclient import TestClient

from bots.web.app import dashboard_routes
from bots.web.deps import DashboardDeps, Viewer
from core.analytics.policy import ReportPolicy
from core.staff.records import Identity, StaffRole
from tests.desk_fakes import Harness
from tests.staff_fakes import staff_fakes

CSRF = "test-csrf-token"


def viewer(role: StaffRole = StaffRole.AGENT, *, platform: str = "discord", user_id: str = "mod") -> Viewer:
    """A signed-in moderator (``discord:mod`` by default, with the moderator role)."""
    identity = Identity(platform, user_id, user_id.title(), frozenset({"moderator"}))
    return Viewer(f"{platform}:{user_id}", role, identity, session="s" * 64, csrf_token=CSRF)


@dataclass
class FixedGate:
    """Lets ``who`` in (None: nobody), and accepts a POST whose form or header carries ``CSRF``."""

    who: Viewer | None

    async def viewer(self, request: Request) -> Viewer | None:
        """The fixed viewer."""
        return self.who

    async def csrf_ok(self, request: Request, viewer: Viewer) -> bool:
        """The form field or the header has the test token."""
        if request.headers.get("x-csrf-token") == CSRF:
            return True
        form = await request.form()
        return form.get("csrf_token") == CSRF


def dashboard_deps(harness: Harness, who: Viewer | None, *, public_url: str = "http://127.0.0.1:8080") -> DashboardDeps:
    """The dashboard's parts on the harness's desk, stores and clock."""
    staff, sessions = staff_fakes()
    return DashboardDeps(
        desk=harness.desk,
        stores=harness.store,
        staff=staff,
        sessions=sessions,
        clock=harness.clock,
        tiers=harness.tiers,
        gate=FixedGate(who),
        report_policy=ReportPolicy(),
        public_url=public_url,
        request_policy=harness.desk.desk.requests,
    )


def dashboard_client(harness: Harness, who: Viewer | None) -> TestClient:
    """A test client of the dashboard alone (no redirects followed, so tests see them)."""
    app = Starlette(routes=dashboard_routes(dashboard_deps(harness, who)))
    return TestClient(app, follow_redirects=False)
