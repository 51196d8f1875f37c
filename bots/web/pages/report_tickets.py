"""The tickets behind a figure: the report's ticket rows (``ticket_rows``) that a headline number counts.

``/dashboard/reports/tickets?figure=sla_missed&from=…&to=…`` (with the report's other filters) lists them,
each linking its ticket page.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

from bots.reports import figures as f
from bots.web.deps import DashboardDeps, Viewer
from bots.web.guard import Handler
from bots.web.pages.report_form import FormError, read_ask, report_for
from bots.web.render import page
from core.analytics.metrics import ticket_rows
from core.analytics.records import ReportQuery
from core.analytics.satisfaction_figures import csat_matches, score_at

Row = Mapping[str, object]
MET, MISSED = "met", "missed"


@dataclass(frozen=True)
class Figure:
    """Which of the report's tickets a figure counts, and how the list is titled."""

    title: str
    keep: Callable[[Row], bool]


def _judged(clock: str) -> Callable[[Row], bool]:
    return lambda row: row[f"sla_{clock}"] in (MET, MISSED)


def _missed(clock: str) -> Callable[[Row], bool]:
    return lambda row: row[f"sla_{clock}"] == MISSED


FIGURES: dict[str, Figure] = {
    "opened": Figure("Tickets opened in the period", lambda row: True),
    "first_response": Figure("Tickets with a first response", lambda row: row["first_response_seconds"] is not None),
    "resolution": Figure("Resolved tickets with a resolution time", lambda row: row["resolution_seconds"] is not None),
    "sla_first_response": Figure("Tickets judged on their first-response target", _judged("first_response")),
    "sla_resolution": Figure("Tickets judged on their resolution target", _judged("resolution")),
    "sla_first_response_missed": Figure("Tickets that missed their first-response target", _missed("first_response")),
    "sla_resolution_missed": Figure("Tickets that missed their resolution target", _missed("resolution")),
    "sla_missed": Figure(
        "Tickets that missed an SLA target", lambda row: MISSED in (row["sla_first_response"], row["sla_resolution"])
    ),
    "fcr": Figure("Resolved tickets judged on first-contact resolution", lambda row: row["first_contact"] is not None),
    "reopened": Figure("Tickets that were reopened", lambda row: row["reopened"] is True),
    "escalated": Figure("Tickets that were escalated", lambda row: row["escalated"] is True),
    "open": Figure("Tickets opened in the period and still open at its end", lambda row: row["status"] == "active"),
}  # fmt: skip


RATINGS: dict[str, tuple[str, int]] = {
    "csat": ("Tickets rated in their CSAT survey", 1),
    "satisfied": ("Tickets rated 4 or 5 in their CSAT survey", 4),
}  # the CSAT figures count surveys sent in the period (about tickets opened earlier too), not the cohort's rows


@dataclass(frozen=True)
class Rating:
    """A CSAT survey's rating as the tickets page lists it."""

    ticket: int
    tier: str
    agent: str
    sent_at: str
    score: int


async def ratings_for(deps: DashboardDeps, figure: str, query: ReportQuery) -> list[Rating]:
    """The CSAT ratings the figure counts (as ``csat_figures`` counts them), by ticket."""
    lowest = RATINGS[figure][1]
    found = []
    for survey in await deps.stores.surveys.sent_between(query.start, query.end):
        score = score_at(survey, query.end)
        if survey.ticket is None or score is None or score < lowest or not csat_matches(survey, query):
            continue
        found.append(
            Rating(survey.ticket, survey.tier, survey.agent or f.MISSING, f.when(survey.sent_at.isoformat()), score)
        )
    return sorted(found, key=lambda r: r.ticket)


def rows_for(figure: str, rows: list[dict[str, object]]) -> list[dict[str, object]]:
    """The rows ``figure`` counts; ``KeyError`` for an unknown figure."""
    keep = FIGURES[figure].keep
    return [row for row in rows if keep(row)]


def cells(row: Row) -> dict[str, str]:
    """One row in words for the table."""

    def yes_no(value: object) -> str:
        return f.MISSING if value is None else ("yes" if value else "no")

    def seconds(value: object) -> str:
        return f.seconds(float(value)) if isinstance(value, int | float) else f.MISSING

    return {
        "tier": str(row["tier"]),
        "priority": str(row["priority"]),
        "platform": str(row["platform"]),
        "agent": str(row["agent"] or f.MISSING),
        "created_at": f.when(str(row["created_at"])),
        "status": str(row["status"]),
        "first_response": seconds(row["first_response_seconds"]),
        "resolution": seconds(row["resolution_seconds"]),
        "sla_first_response": str(row["sla_first_response"] or f.MISSING),
        "sla_resolution": str(row["sla_resolution"] or f.MISSING),
        "reopened": yes_no(row["reopened"]),
        "escalated": yes_no(row["escalated"]),
        "first_contact": yes_no(row["first_contact"]),
    }


def tickets_handler(deps: DashboardDeps) -> Handler:
    """The handler of ``/dashboard/reports/tickets``."""

    async def handler(request: Request, viewer: Viewer) -> Response:
        params = dict(request.query_params)
        figure = params.get("figure") or "opened"  # without one: every ticket of the period
        known = ", ".join(sorted([*FIGURES, *RATINGS]))
        try:
            if figure not in FIGURES and figure not in RATINGS:
                raise FormError(f"“figure” {figure[:40]!r} is not one of the figures: {known}.")
            ask = read_ask(params, deps.tiers, deps.clock.now())
        except FormError as exc:
            return page(request, viewer, "report_tickets.html.j2", status=400, title="Tickets", error=str(exc),
                        heading="Tickets behind a figure", rows=[], period="", back="", ratings=None)  # fmt: skip
        span = f"{f.when(ask.query.start.isoformat())} – {f.when(ask.query.end.isoformat())}"
        back = f"/dashboard/reports?{ask.period_query()}"
        if figure in RATINGS:
            title = RATINGS[figure][0]
            ratings = await ratings_for(deps, figure, ask.query)
            return page(request, viewer, "report_tickets.html.j2", title=title, error=None, heading=title, rows=[],
                        period=span, back=back, ratings=ratings)  # fmt: skip
        now = deps.clock.now()
        report = await report_for(deps, ask.query, ask.business_hours, now)
        found = rows_for(figure, ticket_rows(report))
        listed = [(int(str(row["ticket"])), cells(row)) for row in found]
        return page(
            request, viewer, "report_tickets.html.j2", title=FIGURES[figure].title, error=None,
            heading=FIGURES[figure].title, rows=listed, period=span, back=back, ratings=None,
        )  # fmt: skip

    return handler
