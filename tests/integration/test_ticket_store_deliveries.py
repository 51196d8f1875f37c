"""Contract tests for claiming platform deliveries (each handled once), on the in-memory fake, SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta, timezone

import pytest

from core.store.engine import create_engine_for
from core.store.migrate import upgrade_schema
from core.store.sql_store import sql_stores
from core.stores import Stores

pytestmark = pytest.mark.asyncio

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
EVENT = "Ev0123456789"
DELIVERY = "72d3162e-cc78-11e3-81ab-4c9367dc0958"


async def test_a_delivery_is_claimed_once(store: Stores) -> None:
    assert await store.deliveries.claim_delivery("slack", EVENT, T0)
    assert not await store.deliveries.claim_delivery("slack", EVENT, T0)
    assert not await store.deliveries.claim_delivery("slack", EVENT, T0 + timedelta(minutes=5))  # a later retry
    assert await store.deliveries.claim_delivery("slack", "Ev0123456790", T0)


async def test_the_same_id_on_another_platform_is_another_delivery(store: Stores) -> None:
    assert await store.deliveries.claim_delivery("github", DELIVERY, T0)
    assert await store.deliveries.claim_delivery("slack", DELIVERY, T0)
    assert not await store.deliveries.claim_delivery("github", DELIVERY, T0)
    assert not await store.deliveries.claim_delivery("slack", DELIVERY, T0)


async def test_forgetting_removes_only_older_claims_which_can_then_be_claimed_again(store: Stores) -> None:
    assert await store.deliveries.forget_deliveries(T0) == 0
    await store.deliveries.claim_delivery("slack", "early", T0)
    await store.deliveries.claim_delivery("github", "early", T0 + timedelta(minutes=30))
    await store.deliveries.claim_delivery("slack", "cutoff", T0 + timedelta(hours=1))
    await store.deliveries.claim_delivery("slack", "late", T0 + timedelta(hours=2))
    # The cut-off may be given in any zone; a claim made exactly at it is not older, so it stays.
    paris = (T0 + timedelta(hours=1)).astimezone(timezone(timedelta(hours=1)))
    assert await store.deliveries.forget_deliveries(paris) == 2
    assert await store.deliveries.forget_deliveries(paris) == 0
    assert await store.deliveries.claim_delivery("slack", "early", T0 + timedelta(hours=3))
    assert await store.deliveries.claim_delivery("github", "early", T0 + timedelta(hours=3))
    assert not await store.deliveries.claim_delivery("slack", "cutoff", T0 + timedelta(hours=3))
    assert not await store.deliveries.claim_delivery("slack", "late", T0 + timedelta(hours=3))


async def test_concurrent_claims_of_one_delivery_let_exactly_one_through(store: Stores) -> None:
    outcomes = await asyncio.gather(*(store.deliveries.claim_delivery("slack", EVENT, T0) for _ in range(5)))
    assert sorted(outcomes) == [False, False, False, False, True]


async def test_ids_the_store_cannot_hold_whole_are_refused_not_cut(store: Stores) -> None:
    longest = "x" * 255
    with pytest.raises(ValueError, match="1 to 255 characters, got 256"):
        await store.deliveries.claim_delivery("github", longest + "y", T0)
    with pytest.raises(ValueError, match="1 to 255 characters, got 0"):
        await store.deliveries.claim_delivery("github", "", T0)
    with pytest.raises(ValueError, match="platform name"):
        await store.deliveries.claim_delivery("p" * 33, DELIVERY, T0)
    # Nothing was kept under a shortened id.
    assert await store.deliveries.claim_delivery("github", longest, T0)
    assert not await store.deliveries.claim_delivery("github", longest, T0)
    assert await store.deliveries.forget_deliveries(T0 + timedelta(seconds=1)) == 1


async def test_claims_hold_across_restarts_and_processes_sharing_the_database(database_url: str) -> None:
    url = database_url
    first, second = create_engine_for(url), create_engine_for(url)
    try:
        await upgrade_schema(first)
        one, other = sql_stores(first), sql_stores(second)
        outcomes = await asyncio.gather(*(s.deliveries.claim_delivery("slack", EVENT, T0) for s in (one, other)))
        assert sorted(outcomes) == [False, True]
    finally:
        await first.dispose()
        await second.dispose()

    restarted = create_engine_for(url)
    try:
        await upgrade_schema(restarted)
        store = sql_stores(restarted)
        assert not await store.deliveries.claim_delivery("slack", EVENT, T0 + timedelta(hours=1))
        assert await store.deliveries.forget_deliveries(T0 + timedelta(days=1)) == 1
    finally:
        await restarted.dispose()
