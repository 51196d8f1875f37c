"""Call quotas per tier: how many calls a month, and when the next one is possible."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from core.calls.records import CallPolicy


@dataclass(frozen=True)
class QuotaAnswer:
    """Whether a call may be booked now; if not, why and from when (``next_possible`` None: never)."""

    allowed: bool
    reason: str = ""
    next_possible: datetime | None = None


def _month_start(moment: datetime) -> datetime:
    moment = moment.astimezone(UTC)
    return moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def _next_month(moment: datetime) -> datetime:
    start = _month_start(moment)
    return start.replace(year=start.year + 1, month=1) if start.month == 12 else start.replace(month=start.month + 1)


def check_quota(policy: CallPolicy, now: datetime, booked_starts: Iterable[datetime]) -> QuotaAnswer:
    """Count the customer's calls booked this calendar month (UTC) against the tier's allowance."""
    if not policy.offers_calls:
        instead = policy.instead or "support by chat and e-mail"
        return QuotaAnswer(False, f"Your plan does not include video calls; it offers {instead}.")
    if policy.per_month is None:
        return QuotaAnswer(True)
    month = _month_start(now)
    used = sum(1 for s in booked_starts if _month_start(s) == month)
    if used < policy.per_month:
        return QuotaAnswer(True)
    nxt = _next_month(now)
    return QuotaAnswer(
        False,
        f"Your plan includes {policy.per_month} call(s) a month and this month's are used; "
        f"the next call can be booked from {nxt:%d %B %Y}.",
        nxt,
    )
