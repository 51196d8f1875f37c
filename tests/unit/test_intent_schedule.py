"""Retraining on the escalation worker's pass (``intents: retrain_every``): once per period across workers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bots.bootstrap import compose_system
from config.settings import DEFAULT_TIERS_FILE, Settings, load_settings
from config.tiers import load_tiers
from core.clock import ManualClock
from core.errors import ConfigError
from core.messages import Address
from core.sla.worker import EscalationWorker
from core.stores import Stores
from core.tickets.records import NewTicket, Priority
from core.understanding.heads import HeadFolder
from core.understanding.intents import IntentCatalog, IntentSpec
from core.understanding.ports import IntentExample
from core.understanding.schedule import ScheduledRetrain, retrain_period_key
from tests.desk_fakes import KeywordUnderstander, RecordingNotifier
from tests.fakes import HashingEmbedder, memory_stores
from tests.intent_corrections_world import CHARGED, catalog, corrections

# Periods are cut from the Unix epoch: 7-day periods start on Thursdays, 00:00 UTC.
THURSDAY = datetime(2026, 12, 3, tzinfo=UTC)


async def _tickets(stores: Stores, count: int) -> None:
    for n in range(count):
        new = NewTicket(
            "acme", "community", Address("console", "", "", f"t{n}"), "ana", "Ana", "charged", None,
            Priority.MEDIUM, THURSDAY, None, None,
        )  # fmt: skip
        await stores.tickets.open_ticket(new, "console:ana")


def _workers(tmp_path: Path, stores: Stores, clock: ManualClock, every: str | None = "7d") -> list[EscalationWorker]:
    settings = Settings(data_dir=tmp_path, intents={"retrain_every": every})
    tiers, intents = load_tiers(DEFAULT_TIERS_FILE), catalog()
    systems = [
        compose_system(
            settings,
            understander=KeywordUnderstander(intents, ()),
            catalog=intents,
            tiers=tiers,
            stores=stores,
            notifier=RecordingNotifier(),
            clock=clock,
            embedder=HashingEmbedder(),
        )
        for _ in range(2)
    ]
    return [system.worker for system in systems]


def _versions(tmp_path: Path) -> list[str]:
    return sorted(p.stem for p in (tmp_path / "intent_heads").glob("v*.json"))


@pytest.mark.asyncio
async def test_two_workers_retrain_once_per_period_and_only_when_there_are_new_corrections(tmp_path: Path) -> None:
    stores, clock = memory_stores(), ManualClock(THURSDAY + timedelta(hours=1))
    first, second = _workers(tmp_path, stores, clock)
    await first.run_once()
    assert _versions(tmp_path) == []  # nothing to learn from: no retrain, and the period is not used up
    await _tickets(stores, len(CHARGED) + 1)
    for example in corrections():
        await stores.intent_examples.keep(example)
    await first.run_once()
    await second.run_once()
    [version] = _versions(tmp_path)
    assert HeadFolder(tmp_path / "intent_heads").current() == version
    # A correction later in the same period waits for the next one.
    extra = IntentExample(len(CHARGED) + 1, "charged again for my account", "billing", "console:mo", clock.now())
    await stores.intent_examples.keep(extra)
    clock.advance(timedelta(days=1))
    await second.run_once()
    assert len(_versions(tmp_path)) == 1
    clock.advance(timedelta(days=7))
    await second.run_once()
    await first.run_once()
    assert len(_versions(tmp_path)) == 2
    # The period after: no correction is newer than the serving head's, so nothing is retrained.
    clock.advance(timedelta(days=7))
    await first.run_once()
    assert len(_versions(tmp_path)) == 2


@pytest.mark.asyncio
async def test_scheduled_retraining_is_off_by_default(tmp_path: Path) -> None:
    stores, clock = memory_stores(), ManualClock(THURSDAY)
    [worker, _] = _workers(tmp_path, stores, clock, every=None)
    await _tickets(stores, len(CHARGED))
    for example in corrections():
        await stores.intent_examples.keep(example)
    await worker.run_once()
    assert _versions(tmp_path) == []


def test_periods_are_cut_from_the_epoch() -> None:
    week = timedelta(days=7)
    assert retrain_period_key(THURSDAY, week) == "intents:2026-12-03T00:00Z"
    assert retrain_period_key(THURSDAY + timedelta(days=6, hours=23), week) == "intents:2026-12-03T00:00Z"
    assert retrain_period_key(THURSDAY - timedelta(seconds=1), week) == "intents:2026-11-26T00:00Z"


@pytest.mark.parametrize(
    ("value", "words"),
    [("often", "is not a duration"), ("10m", "too often to retrain; give at least 1h")],
)
def test_a_retrain_every_mistake_names_the_file_and_key(tmp_path: Path, value: str, words: str) -> None:
    path = tmp_path / "helpline.yaml"
    path.write_text(f"intents: {{retrain_every: {value}}}\n")
    with pytest.raises(ConfigError) as caught:
        load_settings(path, env={})
    message = str(caught.value)
    assert "helpline.yaml" in message and "intents.retrain_every" in message and words in message


def test_retrain_every_is_read_from_the_file(tmp_path: Path) -> None:
    path = tmp_path / "helpline.yaml"
    path.write_text("intents: {retrain_every: 7d}\n")
    assert load_settings(path, env={}).intents.retrain_period() == timedelta(days=7)
    assert Settings().intents.retrain_period() is None


@pytest.mark.asyncio
async def test_an_edited_intents_file_is_retrained_for_without_new_corrections(tmp_path: Path) -> None:
    stores, clock, folder = memory_stores(), ManualClock(THURSDAY), HeadFolder(tmp_path)
    await _tickets(stores, len(CHARGED))
    for example in corrections():
        await stores.intent_examples.keep(example)
    week = timedelta(days=7)
    kept = ScheduledRetrain(stores, clock, week, "a", embedder=HashingEmbedder(), catalog=catalog(), folder=folder)
    assert await kept.run_once() is not None
    clock.advance(week)
    assert await kept.run_once() is None  # nothing new
    edited = IntentCatalog((*catalog().intents, IntentSpec("refunds", "", "billing", Priority.LOW, ("money back",))))
    after = ScheduledRetrain(stores, clock, week, "a", embedder=HashingEmbedder(), catalog=edited, folder=folder)
    result = await after.run_once()
    assert result is not None and result.version is not None
