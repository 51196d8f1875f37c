"""Contract tests for ``Calls`` on the fake, SQLite and PostgreSQL: no two calls overlap, a reminder goes once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from core.calls.records import NewCall
from core.messages import SLACK, Address, Outbound, Reply, ReplyKind
from core.stores import Stores

pytestmark = pytest.mark.asyncio

T0 = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
HALF_HOUR = timedelta(minutes=30)
HOME = Address(SLACK, "T1", "C1", "1.2")


def _call(start: datetime = T0, person: str = "slack:U1", holder: str = "acme") -> NewCall:
    link = f"https://meet.jit.si/helpline-{person}-{start:%H%M}"
    return NewCall(holder, person, HOME, 7, "enterprise", start, HALF_HOUR, link, "slack:U0AGENT", T0 - timedelta(1))


def _notice(text: str) -> Outbound:
    return Outbound(HOME, Reply(ReplyKind.INFO, text))


async def test_a_booked_call_reads_back_whole_with_its_notice_queued(store: Stores) -> None:
    booked = await store.calls.book(_call(), [_notice("booked")])
    assert booked is not None and booked.call_id > 0
    assert NewCall(**{k: v for k, v in vars(booked).items() if k in vars(_call())}) == _call()
    [again] = await store.calls.of_holder("acme", T0 - timedelta(days=1))
    assert again == booked
    assert again.address == HOME and again.length == HALF_HOUR and again.agent == "slack:U0AGENT"
    assert [q.outbound.reply.text for q in await store.outbox.outbox()] == ["booked"]


async def test_an_overlapping_booking_is_refused_and_queues_nothing(store: Stores) -> None:
    assert await store.calls.book(_call(), [_notice("first")]) is not None
    assert await store.calls.book(_call(T0 + timedelta(minutes=15), "slack:U2", "globex"), [_notice("x")]) is None
    assert await store.calls.book(_call(T0, "slack:U2", "globex"), [_notice("y")]) is None
    assert await store.calls.book(_call(T0 + HALF_HOUR, "slack:U2", "globex"), [_notice("next")]) is not None
    assert [q.outbound.reply.text for q in await store.outbox.outbox()] == ["first", "next"]
    found = await store.calls.overlapping(T0 + timedelta(minutes=20), T0 + timedelta(minutes=40))
    assert [c.person for c in found] == ["slack:U1", "slack:U2"]


async def test_two_bookings_of_one_slot_racing_keep_one(store: Stores) -> None:
    results = await asyncio.gather(*(store.calls.book(_call(T0, f"slack:U{n}"), [_notice(f"{n}")]) for n in range(3)))
    assert sum(r is not None for r in results) == 1
    assert len(await store.outbox.outbox()) == 1


async def test_quota_counts_a_holders_calls_from_a_date(store: Stores) -> None:
    await store.calls.book(_call(T0 - timedelta(days=5)), [])
    await store.calls.book(_call(T0), [])
    await store.calls.book(_call(T0 + timedelta(hours=2), "slack:U9", "globex"), [])
    month = datetime(2026, 12, 1, tzinfo=UTC)
    assert [c.start for c in await store.calls.of_holder("acme", month)] == [T0 - timedelta(days=5), T0]
    assert [c.start for c in await store.calls.of_holder("acme", T0 - timedelta(days=1))] == [T0]


async def test_a_reminder_is_due_once_and_of_two_workers_one_sends_it(store: Stores) -> None:
    booked = await store.calls.book(_call(), [])
    assert booked is not None
    assert await store.calls.due_reminders(T0 - timedelta(minutes=20), T0 - timedelta(hours=1)) == []
    [due] = await store.calls.due_reminders(T0, T0 - timedelta(minutes=15))
    won = await asyncio.gather(*(store.calls.remind(due.call_id, [_notice(f"soon {n}")], T0) for n in range(3)))
    assert sorted(won) == [False, False, True]
    assert await store.calls.due_reminders(T0, T0 - timedelta(minutes=15)) == []
    assert len(await store.outbox.outbox()) == 1


async def test_a_persons_calls_are_listed_and_forgotten(store: Stores) -> None:
    await store.calls.book(_call(), [])
    await store.calls.book(_call(T0 + timedelta(hours=1), "slack:U2"), [])
    assert [c.person for c in await store.calls.of_person("slack:U1")] == ["slack:U1"]
    assert await store.calls.forget("slack:U1") == 1
    assert await store.calls.of_person("slack:U1") == []
    assert [c.person for c in await store.calls.of_holder("acme", T0 - timedelta(1))] == ["slack:U2"]
