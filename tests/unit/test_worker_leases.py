"""A worker only works what its lease still covers: past it, another worker may have the same work."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from config.tiers import load_tiers
from core.clock import ManualClock
from core.messages import Address, Outbound
from core.sla.worker import EscalationWorker
from core.tickets.records import NewTicket, Priority
from tests.fakes import memory_stores
from tests.scale_worker import TIERS

pytestmark = pytest.mark.asyncio

START = datetime(2026, 12, 1, 9, tzinfo=UTC)
LEASE = timedelta(minutes=2)


class SlowNotifier:
    """Each send takes 40 seconds of the clock's time, as a platform timing out would."""

    def __init__(self, clock: ManualClock) -> None:
        self.clock = clock
        self.sent: list[tuple[str, datetime]] = []

    async def send(self, outbound: Outbound) -> None:
        """Record the notice and let 40 seconds pass."""
        self.sent.append((outbound.reply.text, self.clock.now()))
        self.clock.advance(timedelta(seconds=40))


async def test_slow_sends_stop_before_the_lease_runs_out_and_another_worker_sends_the_rest_once(
    tmp_path: Path,
) -> None:
    path = tmp_path / "tiers.yaml"
    path.write_text(TIERS, encoding="utf-8")
    tiers = load_tiers(path)
    store, clock = memory_stores(), ManualClock(START)
    notifier = SlowNotifier(clock)
    for n in range(5):
        draft = NewTicket("acme", "gold", Address("console", channel=f"c{n}"), "u", "Ada", "s", None,
                          Priority.HIGH, START, None, None)  # fmt: skip
        await store.tickets.open_ticket(draft, "test")
    first, second = (EscalationWorker(store, tiers, notifier, clock, owner=o, lease=LEASE) for o in ("a", "b"))
    clock.advance(timedelta(hours=2))  # a warning and an escalation due on each: ten notices

    claimed_at = clock.now()
    await first.run_once()
    assert len(notifier.sent) == 3  # at 0, 40 and 80 s; at 120 s the lease (minus a quarter) is over
    assert all(at < claimed_at + LEASE * 3 / 4 for _, at in notifier.sent)

    for _ in range(10):
        await second.run_once()
        await first.run_once()
    texts = Counter(text for text, _ in notifier.sent)
    assert len(texts) == 10 and set(texts.values()) == {1}  # every notice, each once
    assert all(item.sent_at is not None for item in await store.outbox.outbox())
