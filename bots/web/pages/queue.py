"""The queue page: active tickets by the SLA deadline that comes next, filtered, refreshed, claimed in bulk."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from bots.web.guard import guarded
from bots.web.pages.flash import Said, flash_query, read_flash, run_as
from bots.web.pages.queue_view import (
    ASSIGNEE_CHOICES,
    PAGE_SIZE,
    PLATFORMS,
    FilterError,
    Filters,
    assignee_label,
    deadline_view,
    read_filters,
)
from bots.web.render import fragment, page, refusal
from core.command_records import Assign, Claim
from core.tickets.records import Priority, TicketStatus

if TYPE_CHECKING:
    from starlette.requests import Request

    from bots.web.deps import DashboardDeps, Viewer

QUEUE = "/dashboard/queue"
_MAX_BULK = 200  # tickets one bulk action may name


def routes(deps: DashboardDeps) -> list[BaseRoute]:
    """The queue page, its rows for polling, and the bulk actions."""
    tier_names = tuple(t.name for t in deps.tiers.tiers)

    async def shown(request: Request, viewer: Viewer) -> dict[str, Any] | Response:
        """The rows the query string's filters ask for, or the page saying which filter it cannot use."""
        try:
            filters = read_filters(request.query_params, tier_names)
        except FilterError as error:
            return refusal(request, viewer, 400, f"The queue cannot show that: {error}.")
        now = deps.clock.now()
        found = await deps.stores.queue.page(filters.query(viewer), now)
        return {
            "rows": [(r.ticket, deadline_view(r, now), assignee_label(r.ticket.assignee, viewer)) for r in found.rows],
            "total": found.total,
            "now": now,
            "filters": filters,
        }

    async def queue_page(request: Request, viewer: Viewer) -> Response:
        context = await shown(request, viewer)
        if isinstance(context, Response):
            return context
        filters: Filters = context["filters"]
        first = (filters.page - 1) * PAGE_SIZE
        return page(
            request,
            viewer,
            "queue.html.j2",
            title="Queue",
            said=read_flash(request.query_params, viewer),
            statuses=list(TicketStatus),
            priorities=list(Priority),
            tiers=deps.tiers.tiers,
            platforms=PLATFORMS,
            assignees=ASSIGNEE_CHOICES,
            shown=(first + 1, first + len(context["rows"])),
            previous=filters.encoded(page=filters.page - 1) if filters.page > 1 else None,
            following=filters.encoded(page=filters.page + 1) if first + PAGE_SIZE < context["total"] else None,
            **context,
        )

    async def queue_rows(request: Request, viewer: Viewer) -> Response:
        context = await shown(request, viewer)
        if isinstance(context, Response):
            return context
        response = fragment("queue_rows.html.j2", **context)
        response.headers["X-Queue-Total"] = str(context["total"])
        return response

    async def bulk(request: Request, viewer: Viewer) -> Response:
        form = await request.form()
        back = str(form.get("back", ""))
        try:
            filters = read_filters(_params(back), tier_names)
        except FilterError:
            filters = Filters()
        picked = [str(v) for v in form.getlist("ticket")]
        said = await _bulk(deps, viewer, str(form.get("action", "")), str(form.get("person", "")).strip(), picked)
        query = "&".join(part for part in (filters.encoded(), flash_query(viewer, said)) if part)
        return RedirectResponse(f"{QUEUE}?{query}", status_code=303)

    return [
        Route("/queue", guarded(deps, queue_page), methods=["GET"]),
        Route("/queue/rows", guarded(deps, queue_rows), methods=["GET"]),
        Route("/queue/bulk", guarded(deps, bulk), methods=["POST"]),
    ]


async def _bulk(deps: DashboardDeps, viewer: Viewer, action: str, person: str, picked: list[str]) -> list[Said]:
    """Each picked ticket through the desk's Claim or Assign, as the viewer; what the desk said to each."""
    numbers = sorted({int(v) for v in picked if v.isdigit() and 0 < int(v) < 2**31})[:_MAX_BULK]
    if not numbers:
        return [Said("Tick at least one ticket first.", error=True)]
    if action == "assign" and not person:
        return [Said("Say whom to assign the tickets to.", error=True)]
    if action not in ("claim", "assign"):
        return [Said("Choose Claim or Assign.", error=True)]
    said: list[Said] = []
    for number in numbers:
        command = Claim(number) if action == "claim" else Assign(number, person.removeprefix("@"))
        said += await run_as(deps, viewer, command)
    return said


def _params(query: str) -> dict[str, str]:
    return dict(parse_qsl(query.lstrip("?")))
