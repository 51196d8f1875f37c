"""The overview (leads): the period's headline numbers with their change, the charts and the recommendations.

``GET /dashboard/overview?since=7d|30d|90d`` (or ``from``/``to``). Each number links the tickets behind it
(``/dashboard/reports/tickets``). Drawing the charts costs a few hundred milliseconds, so what a period shows
is kept for the rest of the minute: asking again within it (or another lead asking) costs nothing.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bots.reports import figures as f
from bots.reports.charts import Chart, report_charts
from bots.reports.summary import Advice, advice
from bots.web.deps import DashboardDeps, Viewer
from bots.web.guard import guarded
from bots.web.pages.headline import Headline, headlines
from bots.web.pages.report_form import PERIODS, FormError, ReportAsk, read_ask, report_for
from bots.web.render import page
from core.analytics.metrics import report_dict

DEFAULT_SINCE = "7d"
_CACHED = 32  # periods kept; each is two small documents and four SVGs


@dataclass(frozen=True)
class Overview:
    """What the overview shows of one period."""

    doc: dict[str, Any]
    previous: dict[str, Any]
    headlines: tuple[Headline, ...]
    charts: tuple[Chart, ...]
    advice: tuple[Advice, ...]


class MinuteCache:
    """Overviews by (period, filters, clock, minute); the oldest are forgotten beyond ``size``."""

    def __init__(self, size: int = _CACHED) -> None:
        self._size = size
        self._kept: OrderedDict[tuple[object, ...], Overview] = OrderedDict()

    def get(self, key: tuple[object, ...]) -> Overview | None:
        """The overview kept under ``key``, if any."""
        found = self._kept.get(key)
        if found is not None:
            self._kept.move_to_end(key)
        return found

    def put(self, key: tuple[object, ...], overview: Overview) -> None:
        """Keep ``overview``, forgetting the oldest beyond the size."""
        self._kept[key] = overview
        self._kept.move_to_end(key)
        while len(self._kept) > self._size:
            self._kept.popitem(last=False)


def cache_key(ask: ReportAsk, now: datetime) -> tuple[object, ...]:
    """What was asked (``since=7d`` moves with the clock, so the words, not the instant) and the minute."""
    return (tuple(sorted(ask.values.items())), ask.business_hours, now.replace(second=0, microsecond=0))


async def build_overview(deps: DashboardDeps, ask: ReportAsk, now: datetime) -> Overview:
    """Both periods' reports, the headline figures, the charts (drawn off the event loop) and the advice."""
    current = report_dict(await report_for(deps, ask.query, ask.business_hours, now))
    previous = report_dict(await report_for(deps, ask.previous(), ask.business_hours, now))
    charts = await asyncio.to_thread(report_charts, current)
    return Overview(
        current,
        previous,
        tuple(headlines(current, previous)),
        tuple(_trusted(c) for c in charts),
        tuple(advice(current)),
    )


def _trusted(chart: Chart) -> Chart:
    """The chart's SVG as markup: vl-convert wrote it and escaped its text; it carries no script or style attribute."""
    return Chart(chart.key, chart.title, None if chart.svg is None else Markup(chart.svg), chart.empty)  # noqa: S704


def routes(deps: DashboardDeps) -> list[BaseRoute]:
    """``/dashboard/overview``, for leads."""
    cache = MinuteCache()

    async def overview(request: Request, viewer: Viewer) -> Response:
        now = deps.clock.now()
        params = dict(request.query_params)
        try:
            ask = read_ask(params, deps.tiers, now, default_since=DEFAULT_SINCE)
        except FormError as exc:
            return page(request, viewer, "overview.html.j2", status=400, title="Overview", error=str(exc),
                        form=params, periods=PERIODS, shown=None)  # fmt: skip
        key = cache_key(ask, now)
        shown = cache.get(key)
        if shown is None:
            shown = await build_overview(deps, ask, now)
            cache.put(key, shown)
        links = ask.period_query()
        return page(
            request, viewer, "overview.html.j2", title="Overview", error=None, form=ask.values, periods=PERIODS,
            shown=shown, period=f.period(shown.doc), previous=f.period(shown.previous), links=links,
        )  # fmt: skip

    return [Route("/overview", guarded(deps, overview, lead=True), methods=["GET"])]
