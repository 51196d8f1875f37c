"""The dashboard's staff page (to be built)."""

from __future__ import annotations

from starlette.routing import BaseRoute

from bots.web.deps import DashboardDeps


def routes(deps: DashboardDeps) -> list[BaseRoute]:
    """This page's routes."""
    return []
