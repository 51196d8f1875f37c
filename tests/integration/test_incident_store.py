"""Contract tests for ``Incidents`` on the fake, SQLite and PostgreSQL: links once, one resolution, a notice
once per incident, ticket and key however many workers deliver it."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from core.incidents.records import IncidentNotFoundError, IncidentStatus, Severity
from core.messages import Address, Outbound, Reply, ReplyKind
from core.stores import Stores
from core.tickets.records import NewTicket, Priority, TicketNotFoundError

pytestmark = pytest.mark.asyncio

T0 = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)


async def _ticket(store: Stores, thread: str) -> int:
    where = Address("discord", "guild", "support", thread)
    new = NewTicket("acme", "enterprise", where, "U1", "Ada", "Outage", None, Priority.CRITICAL, T0, T0, T0)
    return (await store.tickets.open_ticket(new, "helpline")).number


def _notice(text: str, thread: str) -> Outbound:
    return Outbound(Address("discord", "guild", "support", thread), Reply(ReplyKind.INFO, text))


async def test_an_incident_reads_back_with_its_updates_and_tickets(store: Stores) -> None:
    first, second = await _ticket(store, "t1"), await _ticket(store, "t2")
    incident = await store.incidents.open("Payments failing", Severity.CRITICAL, "discord:9", T0)
    assert incident.number == 1 and incident.is_open
    assert await store.incidents.link(1, [second, first, first], "discord:9", T0) == [second, first]
    assert await store.incidents.link(1, [first], "discord:9", T0) == []
    update = await store.incidents.post(1, "We are on it", "discord:9", T0 + timedelta(minutes=5))
    assert update is not None and update.text == "We are on it"
    found = await store.incidents.get(1)
    assert found is not None
    assert (found.title, found.severity, found.tickets) == ("Payments failing", Severity.CRITICAL, (first, second))
    assert found.latest == update
    assert [i.number for i in await store.incidents.of_ticket(first)] == [1]
    assert await store.incidents.get(2) is None
    assert await store.incidents.set_severity(1, Severity.MINOR)
    assert not await store.incidents.set_severity(5, Severity.MINOR)


async def test_a_missing_incident_or_ticket_links_nothing(store: Stores) -> None:
    first = await _ticket(store, "t1")
    with pytest.raises(IncidentNotFoundError):
        await store.incidents.link(3, [first], "discord:9", T0)
    await store.incidents.open("Login slow", Severity.MAJOR, "discord:9", T0)
    with pytest.raises(TicketNotFoundError):
        await store.incidents.link(1, [first, 99], "discord:9", T0)
    found = await store.incidents.get(1)
    assert found is not None and found.tickets == ()
    with pytest.raises(IncidentNotFoundError):
        await store.incidents.post(7, "text", "discord:9", T0)


async def test_an_incident_is_resolved_once_and_takes_no_more_updates(store: Stores) -> None:
    await store.incidents.open("Login slow", Severity.MAJOR, "discord:9", T0)
    done = await asyncio.gather(*(store.incidents.resolve(1, f"fixed {n}", "discord:9", T0) for n in range(3)))
    assert sum(d is not None for d in done) == 1
    assert await store.incidents.post(1, "more", "discord:9", T0) is None
    found = await store.incidents.get(1)
    assert found is not None and found.status is IncidentStatus.RESOLVED and found.resolved_at == T0
    assert found.latest is not None and found.latest.resolution
    assert await store.incidents.incidents(open_only=True) == []
    assert [i.number for i in await store.incidents.incidents()] == [1]


async def test_a_notice_is_queued_once_per_ticket_and_key_across_workers(store: Stores) -> None:
    first, second = await _ticket(store, "t1"), await _ticket(store, "t2")
    await store.incidents.open("Payments failing", Severity.CRITICAL, "discord:9", T0)
    notices = {first: _notice("update one", "t1"), second: _notice("update one", "t2")}
    queued = await asyncio.gather(*(store.incidents.deliver(1, "update:1", notices, T0) for _ in range(3)))
    assert sorted(t for q in queued for t in q) == [first, second]
    assert await store.incidents.deliver(1, "update:1", notices, T0) == []
    assert await store.incidents.deliver(1, "update:2", {first: _notice("two", "t1")}, T0) == [first]
    sent = await store.outbox.outbox()
    assert sorted((i.ticket, i.outbound.reply.text) for i in sent) == [
        (first, "two"),
        (first, "update one"),
        (second, "update one"),
    ]
    assert {i.outbound.address.thread for i in sent if i.ticket == second} == {"t2"}


async def test_a_proposal_is_made_once_per_key(store: Stores) -> None:
    staff = _notice("Open an incident?", "staff")
    made = await asyncio.gather(*(store.incidents.propose("burst:4", [staff], T0) for _ in range(3)))
    assert sorted(made) == [False, False, True]
    assert [i.outbound.reply.text for i in await store.outbox.outbox()] == ["Open an incident?"]
