"""Store contract for the dashboard's queue (``TicketQueue``): on the fake, on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from core.messages import Address
from core.sla.plan import ActionKey
from core.sla.planner import SlaPlan
from core.stores import Stores
from core.tickets.queue import UNASSIGNED, NextDeadline, QueueQuery
from core.tickets.records import NewTicket, Priority, Ticket, TicketChange, TicketEvent, TicketStatus

pytestmark = pytest.mark.asyncio

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
H = timedelta(hours=1)

Deadlines = tuple[datetime | None, datetime | None, datetime | None]  # first response, resolution, next response


@dataclass
class ChosenDeadlines:
    """A planner that gives each ticket the deadlines a test chose for it."""

    chosen: dict[int, Deadlines] = field(default_factory=dict)
    fingerprint: str = "chosen"

    def plan(
        self, ticket: Ticket, events: Sequence[TicketEvent], fired: Collection[ActionKey], now: datetime
    ) -> SlaPlan:
        """The chosen deadlines, and no due work."""
        first, resolution, answer = self.chosen.get(ticket.number, (None, None, None))
        return SlaPlan(first, resolution, answer, ())


async def opened(
    store: Stores,
    *,
    minutes_ago: int = 60,
    priority: Priority = Priority.MEDIUM,
    tier: str = "standard",
    platform: str = "discord",
    subject: str = "help",
) -> Ticket:
    at = NOW - timedelta(minutes=minutes_ago)
    address = Address(platform, "w", "c", f"{subject}-{minutes_ago}")
    draft = NewTicket("acme", tier, address, "u1", "Ada", subject, None, priority, at, None, None)
    return await store.tickets.open_ticket(draft, "discord:u1")


async def plan(store: Stores, planner: ChosenDeadlines, number: int, deadlines: Deadlines) -> None:
    planner.chosen[number] = deadlines
    await store.timers.replan([number], NOW)


async def numbers(store: Stores, query: QueueQuery) -> list[int]:
    return [row.ticket.number for row in (await store.queue.page(query, NOW)).rows]


async def test_the_next_deadline_comes_first_and_tickets_without_one_last(store: Stores) -> None:
    planner = ChosenDeadlines()
    store.timers.use_planner(planner)
    later = await opened(store, subject="later")
    breached = await opened(store, subject="breached")
    answered = await opened(store, subject="answered")
    none_old = await opened(store, minutes_ago=90, subject="none-old")
    none_critical = await opened(store, priority=Priority.CRITICAL, subject="none-critical")
    await plan(store, planner, later.number, (None, NOW + 3 * H, None))
    await plan(store, planner, breached.number, (NOW - H, NOW + 5 * H, None))
    # The first response was given: its deadline no longer counts, the follow-up's next response does.
    await plan(store, planner, answered.number, (NOW - 2 * H, NOW + 8 * H, NOW + 2 * H))
    await store.tickets.update(
        answered.number,
        TicketChange(first_response_at=NOW - 3 * H),
        TicketEvent(answered.number, NOW - 3 * H, "discord:mo", "note"),
    )
    page = await store.queue.page(QueueQuery(), NOW)
    assert [row.ticket.number for row in page.rows] == [
        breached.number,
        answered.number,
        later.number,
        none_critical.number,
        none_old.number,
    ]
    assert page.total == 5
    assert [row.deadline for row in page.rows] == [
        NextDeadline("first_response", NOW - H),
        NextDeadline("next_response", NOW + 2 * H),
        NextDeadline("resolution", NOW + 3 * H),
        None,
        None,
    ]


async def test_equal_deadlines_go_to_the_more_urgent_then_the_older(store: Stores) -> None:
    planner = ChosenDeadlines()
    store.timers.use_planner(planner)
    low = await opened(store, priority=Priority.LOW, minutes_ago=200, subject="low")
    high_new = await opened(store, priority=Priority.HIGH, minutes_ago=10, subject="high-new")
    high_old = await opened(store, priority=Priority.HIGH, minutes_ago=100, subject="high-old")
    for ticket in (low, high_new, high_old):
        await plan(store, planner, ticket.number, (None, NOW + H, None))
    assert await numbers(store, QueueQuery()) == [high_old.number, high_new.number, low.number]


async def test_filters_combine_and_the_total_counts_every_match(store: Stores) -> None:
    planner = ChosenDeadlines()
    store.timers.use_planner(planner)
    gold = await opened(store, tier="gold", platform="slack", priority=Priority.HIGH, subject="gold")
    mine = await opened(store, subject="mine")
    soon = await opened(store, subject="soon")
    done = await opened(store, subject="done")
    await plan(store, planner, soon.number, (None, NOW + 30 * timedelta(minutes=1), None))
    await plan(store, planner, gold.number, (None, NOW + 2 * H, None))
    await plan(store, planner, done.number, (None, NOW - H, None))
    await store.tickets.update(
        mine.number, TicketChange(assignee="discord:mo"), TicketEvent(mine.number, NOW, "discord:mo", "claimed")
    )
    await store.tickets.update(
        done.number,
        TicketChange(status=TicketStatus.RESOLVED, resolved_at=NOW),
        TicketEvent(done.number, NOW, "discord:mo", "resolved"),
    )
    assert await numbers(store, QueueQuery(tier="gold")) == [gold.number]
    assert await numbers(store, QueueQuery(platform="slack", priority=Priority.HIGH)) == [gold.number]
    assert await numbers(store, QueueQuery(priority=Priority.LOW)) == []
    assert await numbers(store, QueueQuery(assignee="discord:mo")) == [mine.number]
    assert await numbers(store, QueueQuery(assignee=UNASSIGNED)) == [soon.number, gold.number]
    assert await numbers(store, QueueQuery(breaching_within=H)) == [soon.number]
    assert await numbers(store, QueueQuery(status=TicketStatus.RESOLVED)) == [done.number]
    resolved = (await store.queue.page(QueueQuery(status=TicketStatus.RESOLVED), NOW)).rows[0]
    assert resolved.deadline is None  # a resolved ticket owes nothing, whatever its columns say
    assert await numbers(store, QueueQuery(status=TicketStatus.OPEN, assignee="discord:mo")) == []


async def test_pages_follow_each_other_and_keep_the_total(store: Stores) -> None:
    planner = ChosenDeadlines()
    store.timers.use_planner(planner)
    made = [await opened(store, subject=f"t{i}") for i in range(5)]
    for i, ticket in enumerate(made):
        await plan(store, planner, ticket.number, (None, NOW + (5 - i) * H, None))
    first = await store.queue.page(QueueQuery(limit=2), NOW)
    second = await store.queue.page(QueueQuery(limit=2, offset=2), NOW)
    last = await store.queue.page(QueueQuery(limit=2, offset=4), NOW)
    seen = [row.ticket.number for page in (first, second, last) for row in page.rows]
    assert seen == [t.number for t in reversed(made)]
    assert (first.total, second.total, last.total) == (5, 5, 5)
    assert len(last.rows) == 1
