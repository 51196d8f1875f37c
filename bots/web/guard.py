"""The check in front of every page: a live session, the role the page needs, and a CSRF token on every POST."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from bots.web.deps import DashboardDeps, Viewer
from bots.web.render import refusal

Handler = Callable[[Request, Viewer], Awaitable[Response]]
Endpoint = Callable[[Request], Awaitable[Response]]

LOGIN_PATH = "/dashboard/login"


def guarded(deps: DashboardDeps, handler: Handler, *, lead: bool = False) -> Endpoint:
    """``handler`` behind the gate: no session → sign-in (then back here); wrong role → 403; POST without CSRF → 403."""

    async def endpoint(request: Request) -> Response:
        viewer = await deps.gate.viewer(request)
        if viewer is None:
            return RedirectResponse(f"{LOGIN_PATH}?next={quote(_here(request), safe='')}", status_code=303)
        if lead and not viewer.lead:
            return refusal(request, viewer, 403, "This page is for leads. Ask a lead if you need what it shows.")
        if request.method not in ("GET", "HEAD") and not await deps.gate.csrf_ok(request, viewer):
            message = "This form expired or did not come from this dashboard. Reload the page and try again."
            return refusal(request, viewer, 403, message)
        return await handler(request, viewer)

    return endpoint


def _here(request: Request) -> str:
    """The path (and query) to come back to after signing in; only ever a path on this site."""
    query = f"?{request.url.query}" if request.url.query else ""
    return f"{request.url.path}{query}" if request.method == "GET" else "/dashboard"
