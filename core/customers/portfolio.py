"""Every account in one list (the dashboard's Customers page): tier, CSM, the latest health score with its
trend, renewal date and open tickets; filtered by tier and category, sorted by a chosen column.

The score is the latest the history keeps (the worker scores every account daily; ``helpline customers
health`` rescores on demand), so the list costs four reads (accounts, their people, the last 30 days' scores,
the active tickets), not a scoring. Open tickets are the active tickets opened by any identity of the
account's people, as on the account's own page.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from core.customers.health import CATEGORIES, NO_DATA
from core.customers.health_figures import utc_day
from core.customers.health_history import HealthDay, trend
from core.customers.view import TREND_HISTORY

if TYPE_CHECKING:
    from core.customers.records import Account
    from core.stores import Stores

NOT_SCORED = "Not scored"  # the category filter of accounts the history has no score for yet
CATEGORY_NAMES = (*(name for _, name in CATEGORIES), NO_DATA, NOT_SCORED)
SORTS = {
    "name": "name",
    "health": "health, lowest first",
    "renewal": "renewal, soonest first",
    "open": "open tickets, most first",
    "tier": "tier",
}
OPEN_SCAN = 10_000  # the active tickets read to count each account's open ones


@dataclass(frozen=True)
class PortfolioQuery:
    """Which accounts to list and in what order; empty filters list every one."""

    tier: str = ""
    category: str = ""
    sort: str = "name"


@dataclass(frozen=True)
class PortfolioRow:
    """One account in the list."""

    account: Account
    latest: HealthDay | None  # the newest score kept, None before the first
    trend: str | None
    open_tickets: int

    @property
    def category(self) -> str:
        """The latest score's category, or ``Not scored``."""
        return self.latest.category if self.latest is not None else NOT_SCORED


def portfolio_query(params: Mapping[str, str], tiers: list[str]) -> tuple[PortfolioQuery, list[str]]:
    """The query in ``params`` (``tier``, ``category``, ``sort``), and what of it was not understood (ignored)."""
    problems = []
    tier, category, sort = (params.get(k, "").strip() for k in ("tier", "category", "sort"))
    if tier and tier not in tiers:
        problems.append(f"No tier is named {tier[:60]!r}; showing every tier.")
        tier = ""
    if category and category not in CATEGORY_NAMES:
        problems.append(f"No health category is named {category[:60]!r}; showing every category.")
        category = ""
    if sort and sort not in SORTS:
        problems.append(f"The list cannot be sorted by {sort[:60]!r}; sorted by name.")
        sort = ""
    return PortfolioQuery(tier, category, sort or "name"), problems


async def portfolio(stores: Stores, now: datetime, query: PortfolioQuery = PortfolioQuery()) -> list[PortfolioRow]:
    """The accounts ``query`` asks for, in its order."""
    active = await stores.tickets.list_tickets(active_only=True, limit=OPEN_SCAN)
    opened: dict[str, int] = {}
    for ticket in active:
        key = f"{ticket.address.platform}:{ticket.requester_id}"
        opened[key] = opened.get(key, 0) + 1
    since = utc_day(now) - TREND_HISTORY
    histories: dict[str, list[HealthDay]] = {}
    for kept in await stores.health.every_history(since):
        histories.setdefault(kept.account, []).append(kept)
    identities: dict[str, list[str]] = {}
    for person in await stores.customers.everyone():
        identities.setdefault(person.account or "", []).extend(person.identities)
    rows = []
    for account in await stores.customers.accounts():
        if query.tier and account.tier != query.tier:
            continue
        history = histories.get(account.id, [])
        count = sum(opened.get(i, 0) for i in identities.get(account.id, ()))
        row = PortfolioRow(account, history[-1] if history else None, trend(history), count)
        if not query.category or row.category == query.category:
            rows.append(row)
    return sorted(rows, key=_KEYS[query.sort])


_LAST = date.max
_KEYS: dict[str, Callable[[PortfolioRow], tuple[Any, ...]]] = {
    "name": lambda r: (r.account.name.casefold(), r.account.id),
    "health": lambda r: (r.latest is None, r.latest.score if r.latest else 0, r.account.name.casefold()),
    "renewal": lambda r: (r.account.renewal_date or _LAST, r.account.name.casefold()),
    "open": lambda r: (-r.open_tickets, r.account.name.casefold()),
    "tier": lambda r: (r.account.tier, r.account.name.casefold()),
}
