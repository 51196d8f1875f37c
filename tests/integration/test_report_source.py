"""Contract tests for the report read model (``Stores.reports``), on the fake, SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event

from core.analytics.records import ReportQuery, TicketHistory
from core.desk.feedback import answer_key
from core.messages import Address, Citation
from core.stores import Stores
from core.tickets.records import (
    ConversationMessage,
    Deadline,
    Escalation,
    NewTicket,
    Priority,
    Role,
    TicketChange,
    TicketEvent,
    TicketStatus,
)

pytestmark = pytest.mark.asyncio

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)
WEEK = ReportQuery(T0 + 7 * DAY, T0 + 14 * DAY)


def thread(n: int, platform: str = "slack") -> Address:
    return Address(platform, "T1", "C1", f"17000000{n:02d}.1")


def draft(n: int, created: datetime, **fields: object) -> NewTicket:
    values: dict[str, object] = {"tier": "pro", "priority": Priority.MEDIUM, "intent": "billing", "platform": "slack"}
    values.update(fields)
    return NewTicket(
        "acme" if n % 2 else "globex",
        str(values["tier"]),
        thread(n, str(values["platform"])),
        f"U{n}",
        "Ada",
        "help",
        values["intent"],  # type: ignore[arg-type]
        values["priority"],  # type: ignore[arg-type]
        created,
        None,
        None,
    )


async def resolve(store: Stores, number: int, at: datetime) -> None:
    await store.tickets.update(
        number, TicketChange(status=TicketStatus.RESOLVED, resolved_at=at), TicketEvent(number, at, "bob", "resolved")
    )


async def numbers(store: Stores, query: ReportQuery, batch: int = 1000) -> list[list[int]]:
    return [[h.ticket.number for h in part] async for part in store.reports.histories(query, batch=batch)]


async def test_the_period_has_tickets_open_during_it_and_not_those_resolved_before(store: Stores) -> None:
    await store.tickets.open_ticket(draft(1, T0), "helpline")  # #1 opened before, still open: there
    await store.tickets.open_ticket(draft(2, T0), "helpline")  # #2 resolved before the period: not there
    await resolve(store, 2, T0 + DAY)
    await store.tickets.open_ticket(draft(3, T0 + DAY), "helpline")  # #3 resolved during the period: there
    await resolve(store, 3, T0 + 8 * DAY)
    await store.tickets.open_ticket(draft(4, T0 + 9 * DAY), "helpline")  # #4 opened in the period: there
    await store.tickets.open_ticket(draft(5, T0 + 14 * DAY), "helpline")  # #5 opened at the end: not there

    assert await numbers(store, WEEK) == [[1, 3, 4]]


async def test_a_history_carries_its_log_oldest_first_and_its_escalations(store: Stores) -> None:
    await store.tickets.open_ticket(draft(1, T0 + 8 * DAY), "helpline")
    await store.tickets.add_event(TicketEvent(1, T0 + 8 * DAY + timedelta(hours=2), "bob", "replied"))
    await store.escalations.claim_escalation(Escalation(1, Deadline.FIRST_RESPONSE, 1, "@oncall", T0 + 9 * DAY))
    await resolve(store, 1, T0 + 10 * DAY)

    [[history]] = [part async for part in store.reports.histories(WEEK)]
    assert isinstance(history, TicketHistory)
    assert (history.ticket.number, history.ticket.status) == (1, TicketStatus.RESOLVED)
    assert [e.kind for e in history.events] == ["opened", "replied", "escalated", "resolved"]
    assert [(e.deadline, e.level, e.target) for e in history.escalations] == [(Deadline.FIRST_RESPONSE, 1, "@oncall")]


async def test_filters_narrow_the_tickets(store: Stores) -> None:
    start = T0 + 8 * DAY
    await store.tickets.open_ticket(draft(1, start, tier="enterprise"), "helpline")
    await store.tickets.open_ticket(draft(2, start, priority=Priority.HIGH), "helpline")
    await store.tickets.open_ticket(draft(3, start, platform="discord"), "helpline")
    await store.tickets.open_ticket(draft(4, start, intent="outage"), "helpline")
    await store.tickets.open_ticket(draft(5, start, intent=None), "helpline")
    await store.tickets.update(5, TicketChange(assignee="carol"), TicketEvent(5, start, "carol", "claimed"))

    def only(**filters: object) -> ReportQuery:
        return ReportQuery(WEEK.start, WEEK.end, **filters)  # type: ignore[arg-type]

    assert await numbers(store, only(tier="enterprise")) == [[1]]
    assert await numbers(store, only(priority=Priority.HIGH)) == [[2]]
    assert await numbers(store, only(platform="discord")) == [[3]]
    assert await numbers(store, only(intents=frozenset({"outage", "billing"}))) == [[1, 2, 3, 4]]
    assert await numbers(store, only(agent="carol")) == [[5]]
    assert await numbers(store, only(customer="acme")) == [[1, 3, 5]]
    assert await numbers(store, only(tier="pro", platform="discord")) == [[3]]
    assert await numbers(store, only(tier="nobody")) == []


async def test_batches_cover_every_ticket_exactly_once_by_number(store: Stores) -> None:
    for n in range(1, 12):
        await store.tickets.open_ticket(draft(n, T0 + 8 * DAY), "helpline")
    for n in (4, 7):  # resolved during the period: still in it
        await resolve(store, n, T0 + 9 * DAY)

    assert await numbers(store, WEEK, batch=4) == [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11]]
    assert await numbers(store, WEEK, batch=11) == [list(range(1, 12))]
    with pytest.raises(ValueError, match="at least one"):
        await numbers(store, WEEK, batch=0)


def answer(n: int, at: datetime, url: str = "https://docs.example/billing") -> ConversationMessage:
    return ConversationMessage(
        thread(n),
        "helpline",
        "Helpline",
        Role.BOT,
        f"See the docs ({n})",
        at,
        intent="billing",
        citation=Citation("Billing", url),
    )


async def test_answers_with_their_standing_votes_and_next_tickets(store: Stores) -> None:
    given = T0 + 8 * DAY
    helped, doubted, escalated = answer(1, given), answer(2, given), answer(3, given + timedelta(hours=1))
    before = answer(4, T0)  # before the period: not counted
    for m in (helped, doubted, escalated, before):
        await store.conversations.record_message(m)
    await store.conversations.record_message(
        ConversationMessage(thread(1), "U1", "Ada", Role.CUSTOMER, "thanks", given + timedelta(minutes=1))
    )
    stats = store.statistics
    await stats.record_deflection(thread(1), "q", helped.citation.url, given, answer=answer_key(helped))  # type: ignore[union-attr]
    await stats.record_deflection(thread(1), "q", "u", given, answer=answer_key(helped))  # pressed twice: once
    await stats.record_deflection(thread(2), "q", "u", given, answer=answer_key(doubted))
    await stats.withdraw_deflection(thread(2), answer_key(doubted))  # the later "no" stands
    await store.tickets.open_ticket(draft(3, given + timedelta(hours=3)), "helpline")
    await store.tickets.open_ticket(draft(3, given + timedelta(hours=5)), "helpline")

    found = await store.reports.answers(WEEK)
    assert [(a.address, a.key, a.helpful, a.next_ticket_at) for a in found] == [
        (thread(1), answer_key(helped), True, None),
        (thread(2), answer_key(doubted), False, None),
        (thread(3), answer_key(escalated), False, given + timedelta(hours=3)),
    ]
    assert (found[0].url, found[0].intent, found[0].at) == ("https://docs.example/billing", "billing", given)
    assert await store.reports.answers(ReportQuery(WEEK.start, WEEK.end, platform="discord")) == []


async def _plans(store: Stores, query: ReportQuery) -> list[str]:
    """The query plans of every SELECT the read model runs for ``query`` (SQL stores only)."""

    async def read() -> None:
        [part async for part in store.reports.histories(query)]
        await store.reports.answers(query)

    return [plan for _statement, plan in await statement_plans(store, read)]


async def statement_plans(store: Stores, read: Callable[[], Awaitable[None]]) -> list[tuple[str, str]]:
    """Every SELECT the read model runs in ``read``, with its query plan (SQL stores only)."""
    engine = store.reports._engine  # type: ignore[attr-defined]
    seen: list[tuple[str, object]] = []

    def remember(_conn: object, _cursor: object, statement: str, parameters: object, *_args: object) -> None:
        if statement.lstrip().startswith("SELECT"):
            seen.append((statement, parameters))

    event.listen(engine.sync_engine, "before_cursor_execute", remember)
    try:
        await read()
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", remember)
    plans = []
    async with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            await conn.exec_driver_sql("SET enable_seqscan = off")  # a few rows make a scan cheapest
        explain = "EXPLAIN" if engine.dialect.name == "postgresql" else "EXPLAIN QUERY PLAN"
        for statement, parameters in seen:
            plans.append((statement, str((await conn.exec_driver_sql(f"{explain} {statement}", parameters)).all())))
    return plans


@pytest.mark.parametrize("store", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True)
async def test_the_read_model_queries_use_the_report_indexes(store: Stores) -> None:
    await store.tickets.open_ticket(draft(1, T0 + 8 * DAY), "helpline")
    await store.conversations.record_message(answer(1, T0 + 8 * DAY))
    plans = " ".join(await _plans(store, WEEK))
    for index in ("ix_ticket_events_ticket_at", "ix_messages_cited_at", "ix_tickets_thread_created"):
        assert index in plans, plans
