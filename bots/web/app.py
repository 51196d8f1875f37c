"""The dashboard's routes: its static files, the sign-in pages, and every page behind the gate."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from bots.web import signin
from bots.web.deps import DashboardDeps, Viewer
from bots.web.guard import guarded
from bots.web.pages import (
    articles,
    customers,
    feature_requests,
    gaps,
    knowledge,
    overview,
    queue,
    reports,
    staff,
    ticket,
)


def dashboard_routes(deps: DashboardDeps) -> list[BaseRoute]:
    """Everything under ``/dashboard``, for ``create_app``'s ``routes``."""

    async def home(request: Request, viewer: Viewer) -> Response:
        # A lead starts the day with the numbers; an agent with the queue.
        return RedirectResponse("/dashboard/overview" if viewer.lead else "/dashboard/queue", status_code=303)

    pages: list[BaseRoute] = [
        Route("/", guarded(deps, home), methods=["GET"]),
        *signin.routes(deps),
        *overview.routes(deps),
        *queue.routes(deps),
        *ticket.routes(deps),
        *knowledge.routes(deps),
        *articles.routes(deps),
        *gaps.routes(deps),
        *customers.routes(deps),
        *feature_requests.routes(deps),
        *reports.routes(deps),
        *staff.routes(deps),
    ]
    return [
        Mount("/dashboard/static", StaticFiles(packages=[("bots.web", "static")]), name="dashboard-static"),
        Mount("/dashboard", routes=pages),
    ]
