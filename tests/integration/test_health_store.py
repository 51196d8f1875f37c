"""Contract tests for ``HealthHistory`` on the fake, SQLite and PostgreSQL: one score per account and day."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

import pytest

from core.customers.health_history import HealthDay
from core.customers.records import Account, AccountEntry
from core.stores import Stores

pytestmark = pytest.mark.asyncio

T0 = datetime(2026, 12, 3, 6, 0, tzinfo=UTC)
DAY = date(2026, 12, 3)


async def _accounts(store: Stores) -> None:
    await store.customers.save(
        [AccountEntry(Account("acme", "Acme", "enterprise")), AccountEntry(Account("globex", "Globex", "pro"))], T0
    )


async def test_the_first_score_of_a_day_is_kept_and_later_ones_refused(store: Stores) -> None:
    await _accounts(store)
    first = HealthDay("acme", DAY, 72, "Good", ("growth",), T0)
    results = await asyncio.gather(
        *(store.health.add(HealthDay("acme", DAY, 60 + n, "At risk", (), T0)) for n in range(3))
    )
    assert sorted(results) == [False, False, True]
    assert not await store.health.add(first)
    [kept] = await store.health.history("acme", DAY)
    assert kept.day == DAY and kept.score in (60, 61, 62)
    assert await store.health.scored_on(DAY) == {"acme"}
    assert await store.health.scored_on(date(2026, 12, 4)) == set()


async def test_a_score_on_demand_replaces_the_days_and_the_history_comes_oldest_first(store: Stores) -> None:
    await _accounts(store)
    await store.health.add(HealthDay("acme", date(2026, 11, 20), 80, "Good", (), T0))
    await store.health.add(HealthDay("acme", DAY, 72, "Good", ("growth",), T0))
    await store.health.add(HealthDay("globex", DAY, 40, "Critical", (), T0))
    later = HealthDay("acme", DAY, 66, "At risk", ("usage", "growth"), T0.replace(hour=9))
    await store.health.put(later)
    assert await store.health.history("acme", date(2026, 11, 1)) == [
        HealthDay("acme", date(2026, 11, 20), 80, "Good", (), T0),
        later,
    ]
    assert [h.score for h in await store.health.history("acme", date(2026, 11, 21))] == [66]
    assert await store.health.scored_on(DAY) == {"acme", "globex"}
