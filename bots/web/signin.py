"""Signing in and out (to be built): the password form, one-time links, sign-out."""

from __future__ import annotations

from starlette.routing import BaseRoute

from bots.web.deps import DashboardDeps


def routes(deps: DashboardDeps) -> list[BaseRoute]:
    """The sign-in routes."""
    return []
