"""Whether ``serve`` mounts the dashboard: on with a secret (the real gate in front), off with a page that says why."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bots.web.app import dashboard_routes
from bots.web.render import page
from bots.web.sessions import SessionGate, dashboard_secret

if TYPE_CHECKING:
    from bots.web.deps import DashboardDeps
    from core.ports import Clock
    from core.staff.ports import StaffSessions


@dataclass(frozen=True)
class DashboardMount:
    """The dashboard's routes and the status line ``serve`` logs about it."""

    routes: list[BaseRoute]
    on: bool
    status: str


def mount_dashboard(
    build: Callable[[SessionGate], DashboardDeps],
    environ: Mapping[str, str],
    *,
    sessions: StaffSessions,
    clock: Clock,
    public_url: str,
) -> DashboardMount:
    """The dashboard behind a ``SessionGate`` when ``HELPLINE_DASHBOARD_SECRET`` is set, else the "off" page."""
    check = dashboard_secret(environ)
    if check.secret is None:
        return DashboardMount(off_routes(check.reason), False, f"dashboard off: {check.reason}")
    gate = SessionGate(check.secret, sessions, clock, secure=public_url.lower().startswith("https://"))
    home = f"{public_url.rstrip('/')}/dashboard/"
    return DashboardMount(dashboard_routes(build(gate)), True, f"dashboard on at {home}")


def off_routes(reason: str) -> list[BaseRoute]:
    """Every ``/dashboard`` path answers 503 with a page naming what to set."""

    async def off(request: Request) -> Response:
        return page(request, None, "dashboard_off.html.j2", status=503, title="Dashboard off", reason=reason)

    methods = ["GET", "HEAD", "POST"]
    return [Route("/dashboard", off, methods=methods), Route("/dashboard/{rest:path}", off, methods=methods)]
