"""The queue the dashboard reads: active tickets filtered, sorted by the SLA deadline that comes next.

A ticket's next deadline is the earliest of the deadlines its SLA planner keeps on it and that still count:
the first response while nobody has answered, the next response owed to a customer's follow-up, and the
resolution (None while paused, e.g. waiting on the customer). A deadline in the past is a breach still
running, so breached tickets come first. Without any deadline a ticket sorts last; ties go to the more
urgent priority, then to the older ticket.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from core.tickets.records import Priority, Ticket, TicketStatus

if TYPE_CHECKING:
    from collections.abc import Sequence

UNASSIGNED = "unassigned"  # the assignee filter for tickets nobody has taken
ACTIVE_STATUSES = tuple(s for s in TicketStatus if s.active)
_NEVER = datetime.max.replace(tzinfo=UTC)  # where tickets without a deadline sort
CLOCKS = ("first_response", "next_response", "resolution")  # the order ties between a ticket's clocks break in


@dataclass(frozen=True)
class QueueQuery:
    """Which tickets a queue page shows; every filter left as None shows them all.

    ``status`` None means every active status. ``assignee`` is an assignee as the desk writes it
    (``platform:id``) or ``UNASSIGNED``. ``breaching_within`` keeps tickets whose next deadline is at
    most that far from now, including those already past it.
    """

    status: TicketStatus | None = None
    tier: str | None = None
    priority: Priority | None = None
    platform: str | None = None
    assignee: str | None = None
    breaching_within: timedelta | None = None
    limit: int = 100
    offset: int = 0


@dataclass(frozen=True)
class NextDeadline:
    """The SLA promise a ticket must keep next: its clock and when it breaches."""

    clock: str  # one of ``CLOCKS``
    at: datetime


@dataclass(frozen=True)
class QueueRow:
    """A ticket in the queue with its next deadline (None when no SLA clock is running)."""

    ticket: Ticket
    deadline: NextDeadline | None


@dataclass(frozen=True)
class QueuePage:
    """One page of the queue and how many tickets match the query in all."""

    rows: tuple[QueueRow, ...]
    total: int


class TicketQueue(Protocol):
    """The queue's read side: one page of matching tickets, most pressing deadline first."""

    async def page(self, query: QueueQuery, now: datetime) -> QueuePage:
        """The ``query.limit`` matching tickets after ``query.offset``, and the count of all that match."""
        ...


def next_deadline(ticket: Ticket) -> NextDeadline | None:
    """The earliest deadline of ``ticket`` that still counts (see the module's doc), or None."""
    if not ticket.status.active:
        return None
    first = ticket.first_response_due if ticket.first_response_at is None else None
    found: NextDeadline | None = None
    for clock, at in zip(CLOCKS, (first, ticket.next_response_due, ticket.resolution_due), strict=True):
        if at is not None and (found is None or at < found.at):
            found = NextDeadline(clock, at)
    return found


def matches(query: QueueQuery, row: QueueRow, now: datetime) -> bool:
    """Whether ``row`` passes the query's filters (the reference the SQL store agrees with)."""
    ticket = row.ticket
    status_ok = ticket.status is query.status if query.status is not None else ticket.status.active
    wanted = {
        "tier": (query.tier, ticket.tier),
        "priority": (query.priority, ticket.priority),
        "platform": (query.platform, ticket.address.platform),
    }
    if not status_ok or any(want is not None and want != have for want, have in wanted.values()):
        return False
    if query.assignee is not None and (ticket.assignee or UNASSIGNED) != query.assignee:
        return False
    if query.breaching_within is not None:
        return row.deadline is not None and row.deadline.at <= now + query.breaching_within
    return True


def queue_order(rows: Sequence[QueueRow]) -> list[QueueRow]:
    """``rows`` in queue order: next deadline (none last), then priority, then oldest, then number."""

    def key(row: QueueRow) -> tuple[bool, datetime, int, datetime, int]:
        ticket, deadline = row.ticket, row.deadline
        at = deadline.at if deadline is not None else _NEVER
        return (deadline is None, at, ticket.priority.rank, ticket.created_at, ticket.number)

    return sorted(rows, key=key)
