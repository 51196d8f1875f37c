"""The staff page (leads): every dashboard account, and disabling or enabling one.

``GET /dashboard/staff`` lists the accounts (``StaffAccounts.accounts``); ``POST /dashboard/staff`` with
``name`` and ``action`` (``disable`` or ``enable``) changes one and comes back (303). Disabling ends every
session of that account at once (the port does both in one transaction). A lead cannot disable themselves.
Adding accounts stays in the command line (``helpline staff add``), where the password is read safely.
"""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from bots.web.deps import DashboardDeps, Viewer
from bots.web.guard import guarded
from bots.web.render import page
from core.staff.ports import StaffNotFoundError

ACTIONS = {"disable": True, "enable": False}
_DONE = {"disabled": "Disabled {name}: every session of that account has ended.", "enabled": "Enabled {name}."}


def routes(deps: DashboardDeps) -> list[BaseRoute]:
    """The staff list and its one form, for leads."""

    async def listing(request: Request, viewer: Viewer, *, status: int = 200, error: str | None = None) -> Response:
        done = request.query_params.get("done", "")
        who = request.query_params.get("name", "")[:120]
        notice = _DONE[done].format(name=who) if done in _DONE and who else None
        accounts = await deps.staff.accounts()
        return page(request, viewer, "staff.html.j2", status=status, title="Staff", accounts=accounts,
                    notice=notice, error=error)  # fmt: skip

    async def show(request: Request, viewer: Viewer) -> Response:
        return await listing(request, viewer)

    async def change(request: Request, viewer: Viewer) -> Response:
        form = await request.form()
        name, action = str(form.get("name", "")).strip(), str(form.get("action", ""))
        if action not in ACTIONS:
            return await listing(request, viewer, status=400, error="Choose disable or enable for an account.")
        disable = ACTIONS[action]
        if disable and name == viewer.account:
            message = "You cannot disable your own account: ask another lead, or use helpline staff disable."
            return await listing(request, viewer, status=409, error=message)
        try:
            await deps.staff.set_disabled(name, disable, deps.clock.now())
        except StaffNotFoundError:
            return await listing(request, viewer, status=404, error=f"No staff account is named {name[:120]!r}.")
        done = urlencode({"done": "disabled" if disable else "enabled", "name": name})
        return RedirectResponse(f"/dashboard/staff?{done}", status_code=303)

    return [
        Route("/staff", guarded(deps, show, lead=True), methods=["GET"]),
        Route("/staff", guarded(deps, change, lead=True), methods=["POST"]),
    ]
