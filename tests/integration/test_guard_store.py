"""Contract tests for ``GuardLog`` on the fake, SQLite and PostgreSQL: every action kept, newest first, and one
notice queued per incident however many actions (or workers) record it."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from core.community.records import GuardAction
from core.messages import Address, Outbound, Reply, ReplyKind
from core.stores import Stores

pytestmark = pytest.mark.asyncio
T0 = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
NOTICE = Outbound(Address("discord", "", "900"), Reply(ReplyKind.WARNING, "Spam guard: a flood"))


def _action(n: int, incident: str = "discord:7@1", member: str = "discord:7") -> GuardAction:
    at = T0 + timedelta(seconds=n)
    return GuardAction(at, member, "discord:g/c/t", f"m{n}", "flood", ("delete", "hide"), f"flood {n}", incident)


async def test_actions_read_back_newest_first_and_the_incident_is_told_once(store: Stores) -> None:
    kept = [await store.guard.record(_action(n), NOTICE) for n in range(3)]
    assert [k.notified for k in kept] == [True, False, False]
    other = await store.guard.record(_action(3, "discord:8@1", "discord:8"), NOTICE)
    assert other.notified
    assert [a.message_id for a in await store.guard.actions()] == ["m3", "m2", "m1", "m0"]
    assert [a.message_id for a in await store.guard.actions(limit=2)] == ["m3", "m2"]
    latest = await store.guard.latest("discord:7")
    assert latest == _action(2)
    assert await store.guard.latest("discord:9") is None
    texts = [q.outbound.reply.text for q in await store.outbox.outbox()]
    assert texts == ["Spam guard: a flood"] * 2


async def test_two_workers_recording_one_incident_queue_one_notice(store: Stores) -> None:
    results = await asyncio.gather(*(store.guard.record(_action(n), NOTICE) for n in range(4)))
    assert sum(r.notified for r in results) == 1
    assert len(await store.outbox.outbox()) == 1
    assert len(await store.guard.actions()) == 4
