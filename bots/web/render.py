"""Rendering the dashboard's pages: one autoescaping Jinja2 environment, the shared layout, and safe headers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse

if TYPE_CHECKING:
    from bots.web.deps import Viewer

# Nothing is fetched from elsewhere and no inline script runs: the page's own files only.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


@dataclass(frozen=True)
class NavItem:
    """A link of the top navigation; ``lead`` ones show to leads only."""

    label: str
    path: str
    lead: bool = False


NAV: tuple[NavItem, ...] = (
    NavItem("Overview", "/dashboard/overview", lead=True),
    NavItem("Queue", "/dashboard/queue"),
    NavItem("Knowledge", "/dashboard/knowledge"),
    NavItem("Gaps", "/dashboard/gaps"),
    NavItem("Customers", "/dashboard/customers"),
    NavItem("Requests", "/dashboard/requests"),
    NavItem("Reports", "/dashboard/reports", lead=True),
    NavItem("Staff", "/dashboard/staff", lead=True),
)


def when(moment: datetime | None) -> Markup:
    """A time as ``<time>``: UTC in the page, turned into the viewer's own zone by app.js when scripts run."""
    if moment is None:
        return Markup("—")
    utc = moment.astimezone(UTC)
    return Markup('<time datetime="{}">{}</time>').format(utc.isoformat(), utc.strftime("%Y-%m-%d %H:%M UTC"))


ENV = Environment(
    loader=PackageLoader("bots.web", "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
ENV.filters["when"] = when


def page(request: Request, viewer: Viewer | None, template: str, *, status: int = 200, **context: Any) -> HTMLResponse:
    """A whole page: ``template`` (which extends ``base.html.j2``) with the viewer, their navigation and CSRF token."""
    nav = [item for item in NAV if viewer is not None and (viewer.lead or not item.lead)]
    body = ENV.get_template(template).render(
        viewer=viewer,
        nav=nav,
        here=request.url.path,
        csrf_token=viewer.csrf_token if viewer is not None else "",
        **context,
    )
    return HTMLResponse(body, status_code=status, headers=SECURITY_HEADERS)


def fragment(template: str, **context: Any) -> HTMLResponse:
    """A piece of a page (what polling swaps in), with the same headers."""
    return HTMLResponse(ENV.get_template(template).render(**context), headers=SECURITY_HEADERS)


def refusal(request: Request, viewer: Viewer | None, status: int, message: str) -> HTMLResponse:
    """A page that says, in words, why the request was refused."""
    return page(request, viewer, "refusal.html.j2", status=status, message=message, title=_TITLES.get(status, "Error"))


_TITLES = {400: "Not understood", 403: "Not allowed", 404: "Not found", 409: "Conflict", 429: "Too many attempts"}


def path_number(request: Request) -> int | None:
    """The ``{number}`` of a ticket's or an article's address, or None when it cannot be one."""
    raw = str(request.path_params["number"])
    return int(raw) if raw.isdigit() and 0 < int(raw) < 2**31 else None


def missing(request: Request, viewer: Viewer, noun: str) -> HTMLResponse:
    """The 404 page of a ticket or article (``noun``) that is not there."""
    raw = str(request.path_params.get("number", ""))
    shown = f"#{raw}" if raw.isdigit() else "with that number"
    return refusal(request, viewer, 404, f"There is no {noun} {shown}. It may have been typed wrong.")
