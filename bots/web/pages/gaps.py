"""The knowledge-gaps page (agents and leads): what customers keep asking that the docs do not answer.

``GET /dashboard/gaps?since=7d|30d|90d`` shows the gap report ``helpline kb gaps`` prints (the same
``GapFinder``), heaviest gap first, with whether the knowledge base covers it now. Clustering embeds every
question of the period, so a report is kept for the rest of the minute: asking again within it costs nothing.
"""

from __future__ import annotations

from datetime import timedelta

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bots.web.deps import DashboardDeps, Viewer
from bots.web.guard import guarded
from bots.web.render import page
from core.knowledge.gap_records import GapReport

PERIODS = {"7d": timedelta(days=7), "30d": timedelta(days=30), "90d": timedelta(days=90)}
DEFAULT_SINCE = "30d"


def routes(deps: DashboardDeps) -> list[BaseRoute]:
    """``/dashboard/gaps``, for agents and leads."""
    kept: dict[tuple[str, str], GapReport] = {}  # (period, minute) -> its report; only the latest minute's

    async def gaps(request: Request, viewer: Viewer) -> Response:
        since = request.query_params.get("since", DEFAULT_SINCE)
        error = None
        if since not in PERIODS:
            error, since = f"Choose a period of {', '.join(PERIODS)}; showing {DEFAULT_SINCE}.", DEFAULT_SINCE
        report = None
        if deps.gaps is not None:
            now = deps.clock.now()
            key = (since, now.strftime("%Y-%m-%dT%H:%M"))
            report = kept.get(key)
            if report is None:
                report = await deps.gaps.report(now - PERIODS[since], now + timedelta(seconds=1))
                kept.clear()
                kept[key] = report
        return page(
            request, viewer, "gaps.html.j2", title="Knowledge gaps", report=report, since=since,
            periods=list(PERIODS), error=error,
        )  # fmt: skip

    return [Route("/gaps", guarded(deps, gaps), methods=["GET"])]
