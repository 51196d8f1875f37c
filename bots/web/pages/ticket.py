"""The ticket page: the whole conversation, the audit log, the SLA clocks, and every action through the desk."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from bots.web.guard import guarded
from bots.web.pages.flash import Said, flash_query, read_flash, run_as
from bots.web.pages.queue_view import deadline_view
from bots.web.pages.ticket_view import (
    ACTIONS,
    ActionError,
    assignee_words,
    command_for,
    event_views,
    message_views,
    platforms_spanned,
)
from bots.web.render import page, refusal
from core.sla.explain import explain_ticket
from core.tickets.queue import QueueRow, next_deadline
from core.tickets.records import Priority

if TYPE_CHECKING:
    from starlette.requests import Request

    from bots.web.deps import DashboardDeps, Viewer


def routes(deps: DashboardDeps) -> list[BaseRoute]:
    """The ticket page and its actions (``POST /tickets/{n}/<action>``)."""

    async def ticket_page(request: Request, viewer: Viewer) -> Response:
        number = _number(request)
        ticket = await deps.stores.tickets.get(number) if number is not None else None
        if ticket is None or number is None:
            return _missing(request, viewer)
        now = deps.clock.now()
        messages = await deps.stores.conversations.messages(number)
        return page(
            request,
            viewer,
            "ticket.html.j2",
            title=f"Ticket #{number}",
            ticket=ticket,
            said=read_flash(request.query_params, viewer),
            messages=message_views(messages),
            platforms=platforms_spanned(ticket, messages),
            events=event_views(await deps.stores.tickets.events(number)),
            sla=await explain_ticket(deps.stores, deps.tiers, ticket, now),
            deadline=deadline_view(QueueRow(ticket, next_deadline(ticket)), now),
            assignee=assignee_words(ticket),
            priorities=list(Priority),
            intents=deps.desk.intent_names,
        )

    async def act(request: Request, viewer: Viewer) -> Response:
        number, action = _number(request), str(request.path_params["action"])
        if number is None or action not in ACTIONS or await deps.stores.tickets.get(number) is None:
            return _missing(request, viewer)
        form = await request.form()
        fields = {key: str(value) for key, value in form.items()}
        try:
            said = await run_as(deps, viewer, command_for(action, number, fields))
        except ActionError as error:
            said = [Said(str(error), error=True)]
        return RedirectResponse(f"/dashboard/tickets/{number}?{flash_query(viewer, said)}", status_code=303)

    return [
        Route("/tickets/{number}", guarded(deps, ticket_page), methods=["GET"]),
        Route("/tickets/{number}/{action}", guarded(deps, act), methods=["POST"]),
    ]


def _number(request: Request) -> int | None:
    raw = str(request.path_params["number"])
    return int(raw) if raw.isdigit() and 0 < int(raw) < 2**31 else None


def _missing(request: Request, viewer: Viewer) -> Response:
    raw = str(request.path_params.get("number", ""))
    shown = f"#{raw}" if raw.isdigit() else "with that number"
    return refusal(request, viewer, 404, f"There is no ticket {shown}. It may have been typed wrong.")
