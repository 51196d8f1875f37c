"""The weekly digest's knowledge-gap section: the week's heaviest gaps not yet covered."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from config.settings import DEFAULT_TIERS_FILE
from config.tiers import load_tiers
from core.analytics.digest import digest_reply
from core.analytics.policy import ReportPolicy
from core.analytics.records import ReportQuery
from core.analytics.weekly import WeekReport
from core.knowledge.gap_records import GapQuestion, GapReason
from core.knowledge.gaps import GapFinder
from core.messages import Address
from core.ports import Chunk
from tests.fakes import HashingEmbedder, memory_stores
from tests.gap_fakes import ChunkIndex, ThresholdClusterer

START = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
END = START + timedelta(days=7)
CRON = ("run a cron job nightly", "cron job schedule", "how to set up a cron job")
REDIS = ("managed redis cache", "redis cache hosting", "do you offer redis cache")


async def week_doc(*, index: ChunkIndex | None = None, asked: tuple[str, ...] = CRON + REDIS) -> dict[str, object]:
    stores, embedder = memory_stores(), HashingEmbedder()
    for n, text in enumerate(asked):
        tier = "enterprise" if text in REDIS else "community"
        at = START + timedelta(hours=n)
        question = GapQuestion(Address("slack", "T", "C", f"t{n}"), f"slack:U{n}", tier, text, GapReason.NOT_SURE, at)
        await stores.gaps.record(question)
    await stores.gaps.record(  # last week's question is not this week's gap
        GapQuestion(
            Address("slack", "T", "C", "old"),
            "slack:U0",
            "community",
            "cron job",
            GapReason.NOT_SURE,
            START - timedelta(days=1),
        )
    )
    finder = GapFinder(stores.gaps, embedder, ThresholdClusterer(0.3), index, 0.5)
    _, doc = await WeekReport(stores, load_tiers(DEFAULT_TIERS_FILE), ReportPolicy(), finder).week(
        ReportQuery(START, END), END
    )
    return doc


@pytest.mark.asyncio
async def test_the_digest_lists_the_weeks_gaps_heaviest_first() -> None:
    doc = await week_doc()
    gaps = doc["knowledge_gaps"]
    assert isinstance(gaps, list) and [g["size"] for g in gaps] == [3, 3]
    assert gaps[0]["tiers"] == {"enterprise": 3}  # enterprise questions weigh more
    text = digest_reply(START, END, "headline", doc, None).text
    lines = text.splitlines()
    at = lines.index("Knowledge gaps (questions the docs did not answer, heaviest first):")
    assert "3 questions from 3 people (weight 12.0)" in lines[at + 1] and "redis" in lines[at + 1]
    assert "(weight 3.0)" in lines[at + 2] and "cron" in lines[at + 2]


@pytest.mark.asyncio
async def test_a_covered_gap_is_left_out_and_a_week_without_gaps_says_so() -> None:
    article = Chunk(
        "cron#0", "cron", "Cron jobs", "", "run a cron job schedule set up nightly how to", "c.md", "https://c"
    )
    doc = await week_doc(index=ChunkIndex(HashingEmbedder(), [article]))
    text = digest_reply(START, END, "headline", doc, None).text
    assert "redis" in text and "cron" not in text.split("Knowledge gaps")[1]
    quiet = digest_reply(START, END, "headline", await week_doc(asked=()), None).text
    assert "Knowledge gaps: none this week" in quiet


def test_a_digest_without_a_gap_report_has_no_gap_section() -> None:
    assert "Knowledge gaps" not in digest_reply(START, END, "headline", {}, None).text
