"""The Requests pages: every feature request with its numbers (``/dashboard/requests``: by status, a search and
an order) and one request (``/dashboard/requests/{n}``: description, voters, status history, merges).

The actions (``POST …/{n}/status|merge|unmerge``) run the chat's own ``request status``, ``request merge`` and
``request unmerge`` through the desk as the viewer, so the moderator check, the voters' notices (once, through
the outbox) and the record of who did it are the chat's. What the desk said shows after the redirect.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from bots.web.guard import guarded
from bots.web.pages.flash import Said, flash_query, read_flash, run_as
from bots.web.render import missing, page, path_number
from core.requests.board import RequestBoard
from core.requests.commands import MergeRequests, SetRequestStatus, UnmergeRequest
from core.requests.matching import OPEN_TO_VOTES
from core.requests.records import SETTABLE, RequestNotFoundError, RequestStatus
from core.requests.staff_view import (
    ALL,
    NOTE_CHARS,
    SORTS,
    request_page,
    request_query,
    staff_listing,
    status_counts,
)

if TYPE_CHECKING:
    from starlette.requests import Request

    from bots.web.deps import DashboardDeps, Viewer
    from core.command_records import Command

ACTIONS = ("status", "merge", "unmerge")


def command_for(action: str, number: int, fields: dict[str, str]) -> Command | str:
    """The desk command an action's form stands for, or what is wrong with the form."""
    if action == "unmerge":
        return UnmergeRequest(number)
    if action == "merge":
        into = fields.get("into", "").strip().lstrip("#")
        if not into.isdigit() or not 0 < int(into) < 2**31:
            return "Give the number of the request to merge this one into, e.g. 12."
        return MergeRequests(number, int(into))
    status, note = fields.get("status", ""), fields.get("note", "").strip()
    if status not in SETTABLE:
        return f"Choose a status: {', '.join(SETTABLE)}."
    if len(note) > NOTE_CHARS:
        return f"The note has {len(note)} characters; keep it to {NOTE_CHARS}. Nothing was changed."
    return SetRequestStatus(number, status, note)


def routes(deps: DashboardDeps) -> list[BaseRoute]:
    """The list, a request's page and its actions."""
    board = RequestBoard(deps.stores.feature_requests, deps.clock, deps.request_policy)

    async def listing(request: Request, viewer: Viewer) -> Response:
        query, problems = request_query(request.query_params)
        rows = await staff_listing(board, query)
        counts = await status_counts(board)

        def linked(**changed: str) -> str:
            kept = {"status": query.status, "q": query.q, "sort": query.sort, **changed}
            kept = {k: v for k, v in kept.items() if v and not (k == "sort" and v == "score")}
            return "/dashboard/requests" + (f"?{urlencode(kept)}" if kept else "")

        return page(
            request, viewer, "requests.html.j2", title="Requests", rows=rows, query=query, problems=problems,
            counts=counts, total=sum(counts.values()), sorts=SORTS, linked=linked, all_status=ALL,
            statuses=list(RequestStatus),
        )  # fmt: skip

    async def request_detail(request: Request, viewer: Viewer) -> Response:
        number = path_number(request)
        if number is None:
            return missing(request, viewer, "feature request")
        try:
            shown = await request_page(board, number)
        except RequestNotFoundError:
            return missing(request, viewer, "feature request")
        r = shown.detail.request
        return page(
            request, viewer, "request.html.j2", title=f"Request #{number}", shown=shown, r=r,
            said=read_flash(request.query_params, viewer), settable=SETTABLE, note_chars=NOTE_CHARS,
            takes_votes=r.status in OPEN_TO_VOTES, merged=r.status is RequestStatus.DUPLICATE,
        )  # fmt: skip

    async def act(request: Request, viewer: Viewer) -> Response:
        number, action = path_number(request), str(request.path_params["action"])
        if number is None or action not in ACTIONS or await deps.stores.feature_requests.get(number) is None:
            return missing(request, viewer, "feature request")
        form = await request.form()
        command = command_for(action, number, {key: str(value) for key, value in form.items()})
        said = [Said(command, error=True)] if isinstance(command, str) else await run_as(deps, viewer, command)
        return RedirectResponse(f"/dashboard/requests/{number}?{flash_query(viewer, said)}", status_code=303)

    return [
        Route("/requests", guarded(deps, listing), methods=["GET"]),
        Route("/requests/{number}", guarded(deps, request_detail), methods=["GET"]),
        Route("/requests/{number}/{action}", guarded(deps, act), methods=["POST"]),
    ]
