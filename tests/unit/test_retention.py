"""The worker forgets old delivery records: kept long enough for redeliveries, then pruned once an hour."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from bots.bootstrap import build_system
from config.intents import load_intents
from config.settings import DEFAULT_INTENTS_FILE, DEFAULT_TIERS_FILE, load_settings
from config.tiers import load_tiers
from core.clock import ManualClock
from core.errors import ConfigError
from core.retention import DEFAULT_DELIVERY_RETENTION, DeliveryPruner
from core.sla.worker import EscalationWorker
from core.stores import Stores
from tests.desk_fakes import RULES, START, KeywordUnderstander, RecordingNotifier
from tests.fakes import memory_stores
from tests.store_fakes import InMemoryDeliveries
from tests.store_state import MemoryState

pytestmark = pytest.mark.asyncio


def worker(store: Stores, clock: ManualClock, keep: timedelta = timedelta(days=7)) -> EscalationWorker:
    tiers = load_tiers(DEFAULT_TIERS_FILE)
    return EscalationWorker(
        store, tiers, RecordingNotifier(), clock, pruner=DeliveryPruner(store.deliveries, clock, keep)
    )


async def seen(store: Stores, delivery: str, at: datetime) -> bool:
    """True if ``delivery`` is still remembered (claiming it again is refused)."""
    return not await store.deliveries.claim_delivery("github", delivery, at)


async def test_deliveries_are_remembered_for_the_retention_and_forgotten_after_it() -> None:
    store, clock = memory_stores(), ManualClock(START)
    await store.deliveries.claim_delivery("github", "old", START)
    await store.deliveries.claim_delivery("slack", "event:Ev1", START + timedelta(days=3))
    w = worker(store, clock)
    clock.advance(timedelta(days=6, hours=23))
    await w.run_once()
    assert await seen(store, "old", clock.now())  # a GitHub redelivery days later is still recognised
    clock.advance(timedelta(hours=2))
    await w.run_once()
    assert not await seen(store, "old", clock.now())  # forgotten (and claimed afresh just now)
    assert not await store.deliveries.claim_delivery("slack", "event:Ev1", clock.now())  # younger: kept


async def test_pruning_runs_at_most_once_an_hour() -> None:
    store, clock = memory_stores(), ManualClock(START)
    w = worker(store, clock, keep=timedelta(hours=1))
    await w.run_once()  # the first pass prunes (nothing yet)
    await store.deliveries.claim_delivery("github", "a", clock.now())
    clock.advance(timedelta(minutes=59))
    await w.run_once()
    clock.advance(timedelta(minutes=2))  # "a" is now 61 minutes old, but the last prune was 61 minutes ago...
    await w.run_once()
    assert not await seen(store, "a", clock.now())  # ...so this pass pruned it
    await store.deliveries.claim_delivery("github", "b", clock.now() - timedelta(hours=2))
    clock.advance(timedelta(minutes=30))
    await w.run_once()
    assert await seen(store, "b", clock.now())  # old enough, but pruned less than an hour ago


class BrokenForgetting(InMemoryDeliveries):
    async def forget_deliveries(self, before: datetime) -> int:
        raise OSError("disk on fire")


async def test_a_failing_prune_is_logged_and_the_pass_still_succeeds(caplog: pytest.LogCaptureFixture) -> None:
    state, clock = MemoryState(), ManualClock(START)
    w = worker(replace(memory_stores(state=state), deliveries=BrokenForgetting(state)), clock)
    with caplog.at_level(logging.ERROR):
        await w.run_once()
    assert w.last_error is None and w.last_pass == clock.now()
    assert any("forgetting old delivery records failed" in r.message for r in caplog.records)


async def test_the_retention_is_a_setting_with_a_week_by_default() -> None:
    assert load_settings(env={}).support.delivery_retention_duration() == DEFAULT_DELIVERY_RETENTION
    settings = load_settings(env={"HELPLINE_SUPPORT__DELIVERY_RETENTION": "3d"})
    catalog = load_intents(DEFAULT_INTENTS_FILE)
    system = await build_system(
        settings,
        notifier=RecordingNotifier(),
        understander=KeywordUnderstander(catalog, RULES),
        catalog=catalog,
        tiers=load_tiers(DEFAULT_TIERS_FILE),
        stores=memory_stores(),
    )
    assert system.worker.pruner is not None and system.worker.pruner.keep == timedelta(days=3)
    with pytest.raises(ConfigError, match=r"support\.delivery_retention"):
        load_settings(env={"HELPLINE_SUPPORT__DELIVERY_RETENTION": "0m"})
