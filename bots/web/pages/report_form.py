"""What the numbers pages are asked for: the period and the report filters, read from the query string.

The same checks as ``helpline report`` (``bots.cli.report_options``); a mistake becomes one sentence for the
form, naming the field, and nothing is computed first.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from urllib.parse import urlencode

from bots.web.deps import DashboardDeps
from core.analytics.metrics import Report, build_report
from core.analytics.records import ReportQuery
from core.tiers import TierDirectory

PERIODS = ("7d", "30d", "90d")  # what the period menus offer; any duration the CLI takes is accepted
FIELDS = ("since", "from", "to", "tier", "priority", "platform", "agent", "business_hours")
_MAX_VALUE = 200
_OPTION = re.compile(r"--(since|from|to|tier|priority|platform|agent)\b")


class FormError(ValueError):
    """A filter that cannot be used as given; the message says which and why, for the person at the form."""


@dataclass(frozen=True)
class ReportAsk:
    """A report asked for in the dashboard: the query, which clock, and the form's values to show back."""

    query: ReportQuery
    business_hours: bool
    values: Mapping[str, str]  # the non-empty fields as given, for the form and for links

    def link_query(self, **extra: str) -> str:
        """The query string that asks for this report again (with ``extra`` fields), e.g. for a download."""
        return urlencode({**self.values, **extra})

    def period_query(self, **extra: str) -> str:
        """The query string naming this exact period as from/to (for links that must not move with the clock)."""
        kept = {k: v for k, v in self.values.items() if k not in ("since", "from", "to")}
        span = {"from": self.query.start.isoformat(), "to": self.query.end.isoformat()}
        return urlencode({**kept, **span, **extra})

    def previous(self) -> ReportQuery:
        """The period of the same length just before this one, with the same filters."""
        length = self.query.end - self.query.start
        return replace(self.query, start=self.query.start - length, end=self.query.start)


def form_values(params: Mapping[str, str]) -> dict[str, str]:
    """The known fields that were filled in, trimmed (an empty field means "not given")."""
    return {name: params[name].strip()[:_MAX_VALUE] for name in FIELDS if params.get(name, "").strip()}


def read_ask(
    params: Mapping[str, str], tiers: TierDirectory, now: datetime, *, default_since: str = "30d"
) -> ReportAsk:
    """The report the query string asks for; ``FormError`` names the first field that cannot be used."""
    # Imported here: ``bots.cli``'s package imports the composition root, which mounts these pages.
    from bots.cli import report_options as options

    values = form_values(params)
    since = values.get("since")
    if since is None and "from" not in values and "to" not in values:
        since = default_since
    try:
        start, end = options.period(since, values.get("from"), values.get("to"), now)
        query = ReportQuery(
            start,
            end,
            tier=options.tier(values.get("tier"), tiers),
            priority=options.priority(values.get("priority")),
            platform=options.platform(values.get("platform")),
            agent=options.person("--agent", values.get("agent")),
        )
    except options.ReportOptionError as exc:
        raise FormError(_words(str(exc))) from None
    if end - start > timedelta(days=3660):
        raise FormError("The period is longer than ten years: choose a shorter one.")
    wants_business = values.get("business_hours", "").lower() in ("1", "on", "true", "yes")
    return ReportAsk(query, wants_business, values)


async def report_for(deps: DashboardDeps, query: ReportQuery, business_hours: bool, now: datetime) -> Report:
    """The report of ``query`` from the store, computed as ``helpline report`` computes it."""
    return await build_report(deps.stores, deps.tiers, query, deps.report_policy, now, business_hours=business_hours)


def _words(message: str) -> str:
    """The CLI's sentence with the form's field names (``since`` for ``--since``), starting with a capital."""
    text = _OPTION.sub(lambda m: f"“{m.group(1)}”", message)
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")
