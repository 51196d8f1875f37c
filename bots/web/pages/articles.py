"""An article's page in the Knowledge section: its text, versions, audit log and diff, and the review actions.

``GET /dashboard/knowledge/articles/{n}`` shows it; ``POST …/{n}/{edit|approve|reject|archive}`` runs the same
desk command a moderator types in chat (``kb edit``, ``kb approve``…) as the viewer, with their roles, so the
publisher rule and the answers are the chat's. What the desk said is shown after the redirect.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from bots.web.guard import guarded
from bots.web.pages.flash import Said, flash_query, read_flash, run_as
from bots.web.render import page, refusal
from core.command_records import KbApprove, KbArchive, KbEdit, KbReject
from core.knowledge.articles import BODY_CHARS, TITLE_CHARS, ArticleState
from core.knowledge.library import Library
from core.knowledge.lifecycle import label

if TYPE_CHECKING:
    from starlette.requests import Request

    from bots.web.deps import DashboardDeps, Viewer
    from core.command_records import Command

ACTIONS = ("edit", "approve", "reject", "archive")


def command_for(action: str, number: int, fields: dict[str, str]) -> Command | str:
    """The desk command an action's form stands for, or what is wrong with the form."""
    if action == "approve":
        return KbApprove(number)
    if action == "archive":
        return KbArchive(number)
    if action == "reject":
        return KbReject(number, fields.get("reason", "")[:500])
    body = fields.get("body", "")
    if not body.strip():
        return "An edit needs the article's text."
    return KbEdit(number, body, fields.get("title", "").strip() or None)


def routes(deps: DashboardDeps) -> list[BaseRoute]:
    """An article's page and its actions."""

    async def article_page(request: Request, viewer: Viewer) -> Response:
        number = _number(request)
        found = await deps.stores.articles.get(number) if number is not None else None
        if found is None or number is None:
            return _missing(request, viewer)
        shown = await Library(deps.stores.articles, None, deps.clock).page(number)
        return page(
            request, viewer, "article.html.j2", title=f"Article #{number}", shown=shown, a=shown.article,
            state=label(shown.article.state), said=read_flash(request.query_params, viewer),
            waiting=shown.article.state in (ArticleState.DRAFT, ArticleState.IN_REVIEW),
            archived=shown.article.state is ArticleState.ARCHIVED, title_chars=TITLE_CHARS, body_chars=BODY_CHARS,
        )  # fmt: skip

    async def act(request: Request, viewer: Viewer) -> Response:
        number, action = _number(request), str(request.path_params["action"])
        if number is None or action not in ACTIONS or await deps.stores.articles.get(number) is None:
            return _missing(request, viewer)
        form = await request.form()
        command = command_for(action, number, {key: str(value) for key, value in form.items()})
        said = [Said(command, error=True)] if isinstance(command, str) else await run_as(deps, viewer, command)
        where = f"/dashboard/knowledge/articles/{number}?{flash_query(viewer, said)}"
        return RedirectResponse(where, status_code=303)

    return [
        Route("/knowledge/articles/{number}", guarded(deps, article_page), methods=["GET"]),
        Route("/knowledge/articles/{number}/{action}", guarded(deps, act), methods=["POST"]),
    ]


def _number(request: Request) -> int | None:
    raw = str(request.path_params["number"])
    return int(raw) if raw.isdigit() and 0 < int(raw) < 2**31 else None


def _missing(request: Request, viewer: Viewer) -> Response:
    raw = str(request.path_params.get("number", ""))
    shown = f"#{raw}" if raw.isdigit() else "with that number"
    return refusal(request, viewer, 404, f"There is no article {shown}. It may have been typed wrong.")
