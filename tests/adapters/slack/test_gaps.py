"""On Slack: questions the docs cannot answer are kept with who asked and their tier, and come back as one gap."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.knowledge.gap_records import GapReason
from core.knowledge.gaps import GapFinder
from tests.adapters.slack_world import World, connect_message
from tests.fakes import HashingEmbedder
from tests.gap_fakes import ThresholdClusterer

pytestmark = pytest.mark.asyncio

ASKED = (
    "Can we keep our data in a Frankfurt data centre region?",
    "Is there a Frankfurt data centre region for our data?",
    "Do you offer a Frankfurt data centre region to keep data?",
)


async def ask(world: World, text: str, n: int) -> None:
    envelope = connect_message(text, event_id=f"Ev07GAP{n:04d}")
    envelope["event"]["ts"] = f"{1764770000 + n * 100}.000100"  # each question its own thread
    assert (await world.event(envelope)).status_code == 200


async def test_unanswered_slack_questions_are_kept_and_form_one_gap(world: World) -> None:
    for n, text in enumerate(ASKED):
        await ask(world, text, n)
    kept = await world.store.gaps.since(datetime(2000, 1, 1, tzinfo=UTC))
    assert [q.text for q in kept] == list(ASKED)
    assert {q.person for q in kept} == {"slack:" + str(connect_message("")["event"]["user"])}
    assert all(q.tier == "enterprise" and q.reason is not GapReason.LOW_CONFIDENCE for q in kept)

    finder = GapFinder(world.store.gaps, HashingEmbedder(), ThresholdClusterer(0.3), None, 0.45)
    now = world.clock.now()
    report = await finder.report(now - timedelta(days=30), now + timedelta(minutes=1))
    [gap] = report.gaps
    assert gap.size == 3 and gap.weight > 3  # enterprise questions weigh more than one each
    assert set(gap.representatives) == set(ASKED)
