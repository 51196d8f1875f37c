"""An account's timeline: what happened to it, newest first, gathered from every source that knows.

Each source reads one kind of record for the account (the link audit, the health history) and says it as
entries. Outreach and onboarding journeys join by adding their source to ``SOURCES`` (a function of the same
shape that reads their records for the account): the dashboard's account page shows whatever the sources give.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.customers.view import CustomerView
    from core.stores import Stores

TIMELINE_DAYS = 90  # how far back the timeline reads
TIMELINE_LIMIT = 100  # the newest entries shown


@dataclass(frozen=True)
class TimelineEntry:
    """One thing that happened to an account: when, of which kind (``link``, ``health``…) and in words."""

    at: datetime
    kind: str
    text: str


# A source: the account's entries of one kind from ``since`` on.
TimelineSource = Callable[["Stores", "CustomerView", datetime], Awaitable[list[TimelineEntry]]]


async def link_entries(stores: Stores, view: CustomerView, since: datetime) -> list[TimelineEntry]:
    """The link audit of the account's people: who joined or separated which identities."""
    entries = []
    for event in view.links:
        if event.at < since:
            continue
        joined = f" to {event.other}" if event.other else ""
        entries.append(TimelineEntry(event.at, "link", f"{event.actor} {event.action} {event.identity}{joined}"))
    return entries


async def health_entries(stores: Stores, view: CustomerView, since: datetime) -> list[TimelineEntry]:
    """The health history where it says something new: the first score in the window, then each change of category."""
    entries: list[TimelineEntry] = []
    previous = None
    for day in await stores.health.history(view.account.id, since.date()):
        if previous is None:
            entries.append(TimelineEntry(day.computed_at, "health", f"scored {day.score} {day.category}"))
        elif day.category != previous.category:
            text = f"now {day.score} {day.category} (was {previous.score} {previous.category})"
            entries.append(TimelineEntry(day.computed_at, "health", text))
        previous = day
    return entries


async def outreach_entries(stores: Stores, view: CustomerView, since: datetime) -> list[TimelineEntry]:
    """Proactive outreach's actions on the account: which playbook did what, and whether it went."""
    entries = []
    for record in view.timeline:
        if record.at < since:
            continue
        where = f" to {record.target}" if record.target else ""
        text = f"{record.playbook} ({record.trigger}): {record.action}{where}, {record.status}"
        entries.append(TimelineEntry(record.sent_at or record.at, "outreach", text))
    return entries


# Onboarding journeys: add their source here when their records exist.
SOURCES: tuple[TimelineSource, ...] = (link_entries, health_entries, outreach_entries)


async def timeline(
    stores: Stores,
    view: CustomerView,
    now: datetime,
    sources: Sequence[TimelineSource] = SOURCES,
    *,
    days: int = TIMELINE_DAYS,
    limit: int = TIMELINE_LIMIT,
) -> tuple[TimelineEntry, ...]:
    """The account's entries of the last ``days`` from every source, newest first, at most ``limit``."""
    since = now - timedelta(days=days)
    entries = [entry for source in sources for entry in await source(stores, view, since)]
    entries.sort(key=lambda e: e.at, reverse=True)
    return tuple(entries[:limit])
