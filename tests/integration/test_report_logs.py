"""The SQL read model's light ticket logs are its histories' light form, read through the report indexes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.analytics.cohort import log_of
from core.analytics.ports import TicketLogSource
from core.analytics.records import ReportQuery, TicketLog
from core.stores import Stores
from core.tickets.records import Deadline, Escalation, Priority, TicketChange, TicketEvent
from tests.integration.test_report_source import DAY, T0, WEEK, draft, resolve, statement_plans

pytestmark = [
    pytest.mark.asyncio,
    pytest.mark.parametrize("store", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True),
]


async def _seed(store: Stores) -> None:
    """Tickets before, in and after the week, of several tiers and platforms, assigned, escalated and resolved."""
    await store.tickets.open_ticket(draft(1, T0), "helpline")  # opened before the week, still open
    await store.tickets.open_ticket(draft(2, T0), "helpline")  # resolved before the week: not in it
    await resolve(store, 2, T0 + DAY)
    for n in range(3, 12):
        fields = {"tier": "enterprise"} if n % 3 == 0 else {"platform": "discord"} if n % 3 == 1 else {}
        await store.tickets.open_ticket(draft(n, T0 + 8 * DAY, priority=Priority.HIGH, **fields), "helpline")
        await store.tickets.add_event(TicketEvent(n, T0 + 8 * DAY + timedelta(hours=n), "bob", "replied"))
    await store.tickets.update(4, TicketChange(assignee="carol"), TicketEvent(4, T0 + 9 * DAY, "carol", "claimed"))
    await store.escalations.claim_escalation(Escalation(5, Deadline.FIRST_RESPONSE, 1, "@oncall", T0 + 9 * DAY))
    await store.escalations.claim_escalation(Escalation(5, Deadline.RESOLUTION, 2, "@lead", T0 + 10 * DAY))
    await resolve(store, 6, T0 + 10 * DAY)
    await store.tickets.open_ticket(draft(12, T0 + 14 * DAY), "helpline")  # opened at the end: not in it


async def _logs(store: Stores, query: ReportQuery, batch: int) -> list[list[TicketLog]]:
    source = store.reports
    assert isinstance(source, TicketLogSource)
    return [part async for part in source.ticket_logs(query, batch=batch)]


async def test_the_logs_are_the_histories_light_form_batch_for_batch(store: Stores) -> None:
    await _seed(store)
    queries = [
        WEEK,
        ReportQuery(WEEK.start, WEEK.end, tier="enterprise"),
        ReportQuery(WEEK.start, WEEK.end, agent="carol"),
    ]
    queries.append(ReportQuery(WEEK.start, WEEK.end, platform="discord", priority=Priority.HIGH))
    for query in queries:
        for batch in (1, 3, 1000):
            light = await _logs(store, query, batch)
            full = [[log_of(h) for h in part] async for part in store.reports.histories(query, batch=batch)]
            assert light == full, (query, batch)
    [[*logs]] = await _logs(store, WEEK, 1000)
    assert [log.number for log in logs] == [1, *range(3, 12)]
    escalated = next(log for log in logs if log.number == 5)
    assert escalated.escalated_at == (T0 + 9 * DAY, T0 + 10 * DAY)
    assert next(log for log in logs if log.number == 4).assignee == "carol"


async def test_the_logs_queries_use_the_report_indexes(store: Stores) -> None:
    await _seed(store)

    async def read() -> None:
        await _logs(store, WEEK, 4)  # pages dense in numbers: their logs by a range of numbers
        await _logs(store, ReportQuery(WEEK.start, WEEK.end, tier="enterprise"), 4)  # 3, 6, 9: by the numbers

    for statement, plan in await statement_plans(store, read):
        if "FROM ticket_events" in statement and "EXISTS" not in statement:  # a page's logs
            assert "ix_ticket_events_ticket" in plan, plan
        assert "SCAN ticket_events" not in plan and "Seq Scan on ticket_events" not in plan, plan
