"""The report (leads): ``helpline report``'s tables with its filters, and the same report as CSV or HTML downloads.

``GET /dashboard/reports`` shows the summary tables (``bots.reports.summary``); ``/dashboard/reports.csv`` (one
row per ticket) and ``/dashboard/reports.html`` (the offline page) download it with the same filters.
``/dashboard/reports/tickets`` lists the tickets behind one figure. A filter that cannot be used shows the
form again with the reason (400).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from bots.reports import figures as f
from bots.reports.csv_out import csv_text
from bots.reports.html import html_page
from bots.reports.summary import advice, sections
from bots.web.deps import DashboardDeps, Viewer
from bots.web.guard import Handler, guarded
from bots.web.pages.report_form import PERIODS, FormError, ReportAsk, read_ask, report_for
from bots.web.pages.report_tickets import tickets_handler
from bots.web.render import page
from config.addresses import PLATFORMS
from core.analytics.metrics import TICKET_COLUMNS, Report, report_dict, ticket_rows
from core.tickets.records import Priority

AskedHandler = Callable[[Request, Viewer, ReportAsk, Report], Awaitable[Response]]

# A download is a file to keep, never a page of this site: it is not sniffed, cached or run here.
_DOWNLOAD_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
}


def _form(request: Request, viewer: Viewer, deps: DashboardDeps, status: int, **context: object) -> Response:
    return page(
        request, viewer, "reports.html.j2", status=status, title="Reports", periods=PERIODS,
        platforms=list(PLATFORMS), priorities=[p.value for p in Priority],
        tiers=[t.name for t in deps.tiers.tiers], **context,
    )  # fmt: skip


def _filename(ask: ReportAsk, suffix: str) -> str:
    start, end = ask.query.start, ask.query.end
    return f"helpline-report-{start:%Y%m%d-%H%M}-{end:%Y%m%d-%H%M}.{suffix}"


def _attachment(body: str, media_type: str, filename: str) -> Response:
    headers = {**_DOWNLOAD_HEADERS, "Content-Disposition": f'attachment; filename="{filename}"'}
    return Response(body, media_type=media_type, headers=headers)


def routes(deps: DashboardDeps) -> list[BaseRoute]:
    """The report page, its two downloads and the tickets behind a figure, for leads."""

    def asked(work: AskedHandler) -> Handler:
        """``work`` with the report the query string asks for; a filter it cannot use shows the form (400)."""

        async def handler(request: Request, viewer: Viewer) -> Response:
            try:
                ask = read_ask(dict(request.query_params), deps.tiers, deps.clock.now())
            except FormError as exc:
                return _form(request, viewer, deps, 400, form=dict(request.query_params), error=str(exc), doc=None)
            report = await report_for(deps, ask.query, ask.business_hours, deps.clock.now())
            return await work(request, viewer, ask, report)

        return handler

    async def report_page(request: Request, viewer: Viewer, ask: ReportAsk, report: Report) -> Response:
        doc = report_dict(report)
        return _form(
            request, viewer, deps, 200, form=ask.values, error=None, doc=doc, period=f.period(doc),
            filters=f.filters(doc), clock=f.clock(doc), sections=sections(doc), advice=advice(doc),
            downloads=ask.period_query(), tickets_link=ask.period_query(figure="opened"),
        )  # fmt: skip

    async def csv_download(request: Request, viewer: Viewer, ask: ReportAsk, report: Report) -> Response:
        body = csv_text(ticket_rows(report), TICKET_COLUMNS)
        return _attachment(body, "text/csv; charset=utf-8", _filename(ask, "csv"))

    async def html_download(request: Request, viewer: Viewer, ask: ReportAsk, report: Report) -> Response:
        body = await asyncio.to_thread(html_page, report_dict(report))  # the charts take a moment to draw
        return _attachment(body, "text/html; charset=utf-8", _filename(ask, "html"))

    return [
        Route("/reports", guarded(deps, asked(report_page), lead=True), methods=["GET"]),
        Route("/reports.csv", guarded(deps, asked(csv_download), lead=True), methods=["GET"]),
        Route("/reports.html", guarded(deps, asked(html_download), lead=True), methods=["GET"]),
        Route("/reports/tickets", guarded(deps, tickets_handler(deps), lead=True), methods=["GET"]),
    ]
