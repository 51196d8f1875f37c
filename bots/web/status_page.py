"""The public status page, ``GET /status``: no sign-in and no personal data, only each open incident's title,
severity, since when, and its latest update (the same lines as ``/status`` in chat)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from bots.web.render import ENV, SECURITY_HEADERS

if TYPE_CHECKING:
    from core.incidents.ports import Incidents
    from core.incidents.records import Incident

_WHEN = "%Y-%m-%d %H:%M UTC"


@dataclass(frozen=True)
class Row:
    """What the public sees of one open incident."""

    number: int
    title: str
    severity: str
    since: str
    latest: str  # the newest update's text, empty before the first
    latest_at: str


def status_rows(incidents: list[Incident]) -> list[Row]:
    """The open incidents as the page shows them, oldest first; no authors, no tickets."""
    rows = []
    for incident in incidents:
        latest = incident.latest
        rows.append(
            Row(
                incident.number,
                incident.title,
                str(incident.severity),
                incident.opened_at.strftime(_WHEN),
                latest.text if latest else "",
                latest.at.strftime(_WHEN) if latest else "",
            )
        )
    return rows


def status_routes(store: Incidents, product: str) -> list[Route]:
    """The public page's route."""

    async def status(request: Request) -> HTMLResponse:
        rows = status_rows(await store.incidents(open_only=True))
        body = ENV.get_template("public_status.html.j2").render(rows=rows, product=product)
        return HTMLResponse(body, headers={**SECURITY_HEADERS, "Cache-Control": "public, max-age=30"})

    return [Route("/status", status, methods=["GET"])]
