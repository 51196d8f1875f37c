"""What the queue page shows: its filters read from the query string, and each ticket's row as the page words it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from core.tickets.queue import UNASSIGNED, QueueQuery, QueueRow
from core.tickets.records import Priority, TicketStatus

if TYPE_CHECKING:
    from collections.abc import Mapping

    from bots.web.deps import Viewer

PAGE_SIZE = 100
PLATFORMS = ("discord", "slack", "github", "console")
SOON = timedelta(hours=1)  # "breaches within 1 h"
ME = "me"
CLOCK_NAMES = {"first_response": "First response", "next_response": "Next response", "resolution": "Resolution"}
_FIELDS = ("status", "tier", "priority", "platform", "assignee", "soon")


class FilterError(ValueError):
    """A filter value the queue does not know; the message names the field."""


@dataclass(frozen=True)
class Filters:
    """The queue's filters as the form sends them (empty: any), and the page number."""

    status: str = ""
    tier: str = ""
    priority: str = ""
    platform: str = ""
    assignee: str = ""
    soon: bool = False
    page: int = 1

    def query(self, viewer: Viewer) -> QueueQuery:
        """The store query these filters ask for, ``me`` being the viewer's own assignee name."""
        assignee = self.assignee or None
        if assignee == ME:
            assignee = viewer_assignee(viewer)
        return QueueQuery(
            status=TicketStatus(self.status) if self.status else None,
            tier=self.tier or None,
            priority=Priority(self.priority) if self.priority else None,
            platform=self.platform or None,
            assignee=assignee,
            breaching_within=SOON if self.soon else None,
            limit=PAGE_SIZE,
            offset=(self.page - 1) * PAGE_SIZE,
        )

    def encoded(self, *, page: int | None = None) -> str:
        """The query string that asks for these filters again (on ``page`` if given), without empty fields."""
        values: dict[str, str] = {name: str(getattr(self, name)) for name in _FIELDS[:-1] if getattr(self, name)}
        if self.soon:
            values["soon"] = "1"
        number = self.page if page is None else page
        if number > 1:
            values["page"] = str(number)
        return urlencode(values)


def viewer_assignee(viewer: Viewer) -> str:
    """How the desk names the viewer as an assignee (``platform:id``), as ``claim`` writes it."""
    return f"{viewer.identity.platform}:{viewer.identity.user_id}"


def read_filters(params: Mapping[str, str], tiers: tuple[str, ...]) -> Filters:
    """The filters in a query string; ``FilterError`` names a field whose value the queue does not know."""
    status, priority = params.get("status", ""), params.get("priority", "")
    platform, tier = params.get("platform", ""), params.get("tier", "")
    checks = (
        ("status", status, tuple(s.value for s in TicketStatus)),
        ("priority", priority, tuple(p.value for p in Priority)),
        ("platform", platform, PLATFORMS),
        ("tier", tier, tiers),
    )
    for name, value, known in checks:
        if value and value not in known:
            raise FilterError(f"the {name} filter has no value {value!r}; choose one of: {', '.join(known)}")
    page = params.get("page", "1")
    if not page.isdigit() or int(page) < 1:
        raise FilterError(f"the page number {page!r} is not a whole number from 1")
    assignee = params.get("assignee", "").strip()
    return Filters(status, tier, priority, platform, assignee, params.get("soon", "") not in ("", "0"), int(page))


@dataclass(frozen=True)
class DeadlineView:
    """A next deadline in words: which clock, when, how long is left, and its colour class."""

    clock: str
    at: datetime
    left: str
    tone: str  # "bad" past it, "warn" within the hour, "good" otherwise


def time_left(at: datetime, now: datetime) -> tuple[str, str]:
    """``("in 40 min", "warn")``, ``("breached 2 h 5 min ago", "bad")``: the words and their colour class."""
    seconds = (at - now).total_seconds()
    if seconds <= 0:
        return f"breached {_span(-seconds)} ago", "bad"
    return f"in {_span(seconds)}", "warn" if seconds <= SOON.total_seconds() else "good"


def _span(seconds: float) -> str:
    whole = int(seconds)
    days, hours, minutes = whole // 86400, whole // 3600 % 24, whole // 60 % 60
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    return f"{minutes} min" if minutes else "under a minute"


def deadline_view(row: QueueRow, now: datetime) -> DeadlineView | None:
    """The row's next deadline as the page shows it, or None."""
    if row.deadline is None:
        return None
    left, tone = time_left(row.deadline.at, now)
    return DeadlineView(CLOCK_NAMES.get(row.deadline.clock, row.deadline.clock), row.deadline.at, left, tone)


def assignee_label(assignee: str | None, viewer: Viewer) -> str:
    """``you`` for the viewer, ``—`` for nobody, else the assignee as the desk names them."""
    if assignee is None:
        return "—"
    return "you" if assignee == viewer_assignee(viewer) else assignee


ASSIGNEE_CHOICES = (("", "Anyone"), (ME, "Me"), (UNASSIGNED, "Unassigned"))
