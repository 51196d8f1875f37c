"""Contract tests for ``GapQuestions``: on the fake, on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from core.knowledge.gap_records import GapQuestion, GapReason
from core.messages import Address
from core.stores import Stores

pytestmark = pytest.mark.asyncio

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
THREAD = Address("slack", "T1", "C1", "1700000000.1")


def asked(text: str, minutes: int, reason: GapReason = GapReason.NO_ANSWER, score: float | None = 0.31) -> GapQuestion:
    return GapQuestion(THREAD, "slack:U1", "enterprise", text, reason, T0 + timedelta(minutes=minutes), score)


async def test_questions_come_back_whole_oldest_first_from_the_time_asked(store: Stores) -> None:
    kept = [
        asked("dark mode?", 2, GapReason.NOT_SURE, None),
        asked("<b>csv</b> export — ünïcode", 1, GapReason.LOW_CONFIDENCE, 0.4625),
        asked("too early", -5),
    ]
    for question in kept:
        await store.gaps.record(question)
    found = await store.gaps.since(T0)
    assert found == [kept[1], kept[0]]
    assert found[0].at.tzinfo is not None and found[0].score == pytest.approx(0.4625)


async def test_times_in_other_zones_are_read_back_in_utc(store: Stores) -> None:
    local = datetime(2026, 3, 2, 11, 0, tzinfo=timezone(timedelta(hours=2)))  # 09:00 UTC
    question = GapQuestion(THREAD, "slack:U1", "community", "q", GapReason.NOT_HELPFUL, local)
    await store.gaps.record(question)
    [found] = await store.gaps.since(T0)
    assert found.at == T0 and found.at.utcoffset() == timedelta(0)


async def test_the_limit_keeps_the_newest_questions_of_the_period(store: Stores) -> None:
    for n in range(5):
        await store.gaps.record(asked(f"q{n}", n))
    assert [q.text for q in await store.gaps.since(T0, limit=2)] == ["q3", "q4"]
    assert [q.text for q in await store.gaps.since(T0, until=T0 + timedelta(minutes=3), limit=2)] == ["q1", "q2"]
