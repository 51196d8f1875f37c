"""The Customers pages: every account with its health (``/dashboard/customers``) and one account's page
(``/dashboard/customers/{id}``): people and identities, tickets, SLA record, CSAT and NPS, the health score
part by part, and the timeline.

Both read the core only (``core.customers.portfolio``, ``core.customers.profile``, which reuses ``helpline
customer show``'s view); nothing here changes an account.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

from starlette.routing import BaseRoute, Route

from bots.web.guard import guarded
from bots.web.render import page, refusal
from core.customers.portfolio import CATEGORY_NAMES, SORTS, portfolio, portfolio_query
from core.customers.profile import account_profile
from core.customers.records import CustomerError, account_id

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

    from bots.web.deps import DashboardDeps, Viewer


def routes(deps: DashboardDeps) -> list[BaseRoute]:
    """The list and an account's page."""
    tier_names = [tier.name for tier in deps.tiers.tiers]

    async def listing(request: Request, viewer: Viewer) -> Response:
        query, problems = portfolio_query(request.query_params, tier_names)
        rows = await portfolio(deps.stores, deps.clock.now(), query)
        any_accounts = bool(rows) or bool(await deps.stores.customers.accounts())

        def sorted_by(sort: str) -> str:
            kept = {"tier": query.tier, "category": query.category, "sort": sort}
            return "/dashboard/customers?" + urlencode({k: v for k, v in kept.items() if v})

        return page(
            request, viewer, "customers.html.j2", title="Customers", rows=rows, query=query, problems=problems,
            tiers=deps.tiers.tiers, categories=CATEGORY_NAMES, sorts=SORTS, sorted_by=sorted_by,
            any_accounts=any_accounts,
        )  # fmt: skip

    async def account_page(request: Request, viewer: Viewer) -> Response:
        raw = str(request.path_params["account"])
        try:
            wanted = account_id(raw)
        except CustomerError:
            wanted = None
        shown = await account_profile(deps.stores, wanted, deps.clock.now()) if wanted else None
        if shown is None:
            message = f"There is no account {raw[:80]!r}. See the list of customers."
            return refusal(request, viewer, 404, message)
        return page(request, viewer, "customer.html.j2", title=shown.view.account.name, p=shown, v=shown.view)

    return [
        Route("/customers", guarded(deps, listing), methods=["GET"]),
        Route("/customers/{account}", guarded(deps, account_page), methods=["GET"]),
    ]
