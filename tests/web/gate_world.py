"""The dashboard behind its real gate (signed cookies, sessions, CSRF) on a desk harness, for Starlette's TestClient."""

from __future__ import annotations

import asyncio
import dataclasses
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from argon2 import PasswordHasher
from starlette.applications import Starlette
from starlette.testclient import TestClient

from bots.web.deps import DashboardDeps, Gate
from bots.web.mount import mount_dashboard
from bots.web.sessions import SECRET_ENV
from core.staff.records import DASHBOARD, Identity, SignInLink, StaffAccount, StaffRole
from core.staff.tokens import new_token, token_hash
from tests.desk_fakes import Harness, make_harness
from tests.staff_fakes import InMemoryStaffAccounts, InMemoryStaffSessions
from tests.web_fakes import dashboard_deps

SECRET = "gate-tests-dashboard-secret-0123456789abcdef"
PASSWORD = "a long enough password"
CHEAP = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)  # argon2 at test speed; same verify path
# The sign-in form's token (a signed-in page also has the sign-out form's, the session's own).
Answer = Any  # what the test client answers (Starlette's TestClient runs on httpx2, which tests do not import)
_FORM_TOKEN = re.compile(r'action="/dashboard/login[^"]*">\s*<input type="hidden" name="csrf_token" value="([^"]+)"')


@dataclass
class GateWorld:
    """A desk harness, the dashboard mounted on it as ``serve`` mounts it, and a client that keeps cookies."""

    harness: Harness
    deps: DashboardDeps
    client: TestClient
    staff: InMemoryStaffAccounts
    sessions: InMemoryStaffSessions

    def add_account(
        self,
        name: str,
        role: StaffRole = StaffRole.AGENT,
        *,
        password: str | None = PASSWORD,
        disabled: bool = False,
        identity: Identity | None = None,
    ) -> StaffAccount:
        """An account acting as ``dashboard:NAME`` unless told otherwise (``password`` None: a link-only account)."""
        identity = identity or Identity(DASHBOARD, name, name, frozenset({"moderator"}))
        hashed = CHEAP.hash(password) if password is not None else None
        account = StaffAccount(name, role, identity, self.harness.clock.now(), hashed, disabled)
        asyncio.run(self.staff.add(account))
        return account

    def issue_link(self, identity: Identity, *, lasts: timedelta = timedelta(minutes=10)) -> str:
        """A sign-in link for ``identity``; its path."""
        token, now = new_token(), self.harness.clock.now()
        asyncio.run(self.staff.issue_link(SignInLink(token_hash(token), identity, now, now + lasts)))
        return f"/dashboard/login/{token}"

    def form_token(self, path: str = "/dashboard/login") -> str:
        """GET a sign-in form (setting its cookie) and read its CSRF token."""
        page = self.client.get(path)
        found = _FORM_TOKEN.search(page.text)
        assert found is not None, page.text
        return found.group(1)

    def sign_in(self, name: str, password: str = PASSWORD, *, next: str = "/dashboard/") -> Answer:
        """Submit the password form the way a browser does (form token first)."""
        data = {"csrf_token": self.form_token(), "username": name, "password": password, "next": next}
        return self.client.post("/dashboard/login", data=data)

    def csrf(self) -> str:
        """The signed-in session's CSRF token (what every form of its pages carries)."""
        live = [s for s in self.sessions.by_hash.values() if s.revoked_at is None]
        assert len(live) == 1, live
        return live[0].csrf_token


def gate_world(*, public_url: str = "http://testserver", base_url: str | None = None) -> GateWorld:
    """The dashboard on a fresh harness behind the real session gate; the client does not follow redirects."""
    harness = make_harness()
    fixed = dashboard_deps(harness, None, public_url=public_url)
    assert isinstance(fixed.staff, InMemoryStaffAccounts) and isinstance(fixed.sessions, InMemoryStaffSessions)
    built: list[DashboardDeps] = []

    def build(gate: Gate) -> DashboardDeps:
        built.append(dataclasses.replace(fixed, gate=gate))
        return built[-1]

    mount = mount_dashboard(
        build,
        {SECRET_ENV: SECRET},
        sessions=fixed.sessions,
        clock=harness.clock,
        public_url=public_url,
    )
    assert mount.on
    app = Starlette(routes=mount.routes)
    client = TestClient(app, base_url=base_url or public_url, follow_redirects=False)
    return GateWorld(harness, built[0], client, fixed.staff, fixed.sessions)
