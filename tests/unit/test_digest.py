"""The weekly digest: posted once per period across workers, delivered after a crash, and again next week."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest

from config.tiers import load_tiers
from core.analytics.digest import DigestPoster, DigestSchedule, digest_reply, period_key
from core.clock import ManualClock
from core.messages import Address
from core.sla.worker import EscalationWorker
from core.stores import Stores
from tests.desk_fakes import RecordingNotifier
from tests.digest_fakes import FakeCharts, FakeNumbers
from tests.fakes import memory_stores
from tests.scale_worker import TIERS
from tests.store_state import MemoryState
from tests.unit.test_sla_events import TINY_PNG

STAFF = Address("slack", "", "CSTAFF", "")
# Mondays 09:00 in Berlin; Monday 7 Dec 2026 09:00 CET is 08:00 UTC.
SCHEDULE = DigestSchedule(0, time(9, 0), "Europe/Berlin", STAFF)
MONDAY = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)


def _worker(stores: Stores, clock: ManualClock, notifier: RecordingNotifier, tmp_path: Path, owner: str) -> Any:
    tiers_file = tmp_path / "tiers.yaml"
    tiers_file.write_text(TIERS)
    poster = DigestPoster(stores, SCHEDULE, FakeNumbers(), FakeCharts(), clock, owner)
    worker = EscalationWorker(stores, load_tiers(tiers_file), notifier, clock, owner=owner, passes=[poster.run_once])
    return worker, poster


def _digests(notifier: RecordingNotifier) -> list[str]:
    return [o.reply.text for o in notifier.sent if o.reply.text.startswith("Weekly support digest")]


def test_the_period_is_the_week_before_the_latest_scheduled_moment_in_local_time() -> None:
    assert SCHEDULE.period(MONDAY) == (MONDAY - timedelta(days=7), MONDAY)
    assert SCHEDULE.period(MONDAY - timedelta(minutes=1)) == (MONDAY - timedelta(days=14), MONDAY - timedelta(days=7))
    # Across the end of summer time (25 Oct 2026) the week is 169 hours: 09:00 local at both ends.
    start, end = SCHEDULE.period(datetime(2026, 10, 26, 8, 0, tzinfo=UTC))
    assert (start, end) == (datetime(2026, 10, 19, 7, 0, tzinfo=UTC), datetime(2026, 10, 26, 8, 0, tzinfo=UTC))


@pytest.mark.asyncio
async def test_two_workers_on_one_store_post_one_digest_with_chart_breaches_and_actions(tmp_path: Path) -> None:
    stores, clock, notifier = memory_stores(state=MemoryState()), ManualClock(MONDAY), RecordingNotifier()
    first, _ = _worker(stores, clock, notifier, tmp_path, "w1")
    second, _ = _worker(stores, clock, notifier, tmp_path, "w2")
    await first.run_once()
    await second.run_once()
    sent = [o for o in notifier.sent if o.reply.text.startswith("Weekly support digest")]
    assert len(sent) == 1 and sent[0].address == STAFF
    text = sent[0].reply.text
    assert "Mon 30 Nov 2026 08:00 to Mon 07 Dec 2026 07:59 UTC" in text
    assert "CSAT average: 3.5 over 4 response(s)" in text
    assert "ticket #7 (gold, high): first response 1:30:00 late" in text
    assert text.count("ticket #") == 5  # the worst five of six
    assert "Read the low-rated comments" in text
    assert [(a.name, a.media_type, a.data) for a in sent[0].reply.attachments] == [
        ("digest.png", "image/png", TINY_PNG)
    ]


@pytest.mark.asyncio
async def test_a_crash_after_the_claim_still_delivers_the_digest_once(tmp_path: Path) -> None:
    stores, clock, notifier = memory_stores(state=MemoryState()), ManualClock(MONDAY), RecordingNotifier()
    _, poster = _worker(stores, clock, notifier, tmp_path, "w1")
    assert await poster.run_once()  # claimed and queued; the process dies before its drain
    survivor, _ = _worker(stores, clock, notifier, tmp_path, "w2")
    await survivor.run_once()
    await survivor.run_once()
    assert len(_digests(notifier)) == 1


@pytest.mark.asyncio
async def test_a_failed_send_is_retried_and_the_next_week_posts_again(tmp_path: Path) -> None:
    stores, clock, notifier = memory_stores(state=MemoryState()), ManualClock(MONDAY), RecordingNotifier()
    worker, _ = _worker(stores, clock, notifier, tmp_path, "w1")
    notifier.fail = RuntimeError("Slack is down")
    await worker.run_once()
    assert _digests(notifier) == []
    notifier.fail = None
    clock.advance(timedelta(minutes=5))
    await worker.run_once()
    clock.advance(timedelta(days=3))
    await worker.run_once()
    assert len(_digests(notifier)) == 1  # sent after the retry, and not again mid-week
    clock.advance(timedelta(days=4))
    await worker.run_once()
    digests = _digests(notifier)
    assert len(digests) == 2 and "Mon 07 Dec 2026 08:00 to Mon 14 Dec 2026 07:59 UTC" in digests[1]
    assert await stores.digests.claimed(period_key(MONDAY + timedelta(days=7)))


@pytest.mark.asyncio
async def test_a_chart_that_cannot_be_drawn_leaves_the_numbers_and_says_so(tmp_path: Path) -> None:
    stores, clock = memory_stores(state=MemoryState()), ManualClock(MONDAY)
    poster = DigestPoster(stores, SCHEDULE, FakeNumbers(), FakeCharts(broken=True), clock, "w1")
    assert await poster.run_once()
    (item,) = await stores.outbox.outbox()
    assert item.outbound.reply.attachments == () and "could not be drawn" in item.outbound.reply.text
    assert "Tickets opened: 12" in item.outbound.reply.text


def test_a_week_without_breaches_or_recommendations_says_so() -> None:
    reply = digest_reply(MONDAY - timedelta(days=7), MONDAY, "Tickets opened: 0", {}, TINY_PNG)
    assert "Worst SLA breaches: none this week" in reply.text and "Suggested actions" not in reply.text
