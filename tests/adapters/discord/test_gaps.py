"""On Discord: questions the docs cannot answer are kept with who asked, and three people's come back as one gap."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
import pytest_asyncio

from core.knowledge.gaps import GapFinder
from tests.adapters.discord_fake import ANA
from tests.adapters.discord_world import World, make_world
from tests.fakes import HashingEmbedder
from tests.gap_fakes import ThresholdClusterer

pytestmark = pytest.mark.asyncio

ASKED = {
    ANA: "Can we keep our data in a Frankfurt data centre region?",
    ANA + 1: "Is there a Frankfurt data centre region for our data?",
    ANA + 2: "Do you offer a Frankfurt data centre region to keep data?",
}


@pytest_asyncio.fixture
async def world() -> AsyncIterator[World]:
    w = await make_world()
    yield w
    await w.discord.close()


async def test_three_members_unanswered_questions_form_one_gap_with_three_people(world: World) -> None:
    for author, text in ASKED.items():
        await world.discord.message(text, author=author)
    kept = await world.store.gaps.since(datetime(2000, 1, 1, tzinfo=UTC))
    assert {q.person: q.text for q in kept} == {f"discord:{author}": text for author, text in ASKED.items()}
    assert {q.tier for q in kept} == {"community"}

    finder = GapFinder(world.store.gaps, HashingEmbedder(), ThresholdClusterer(0.3), None, 0.45)
    now = world.clock.now()
    [gap] = (await finder.report(now - timedelta(days=30), now + timedelta(minutes=1))).gaps
    assert (gap.size, gap.people) == (3, 3)
    assert set(gap.representatives) == set(ASKED.values())
