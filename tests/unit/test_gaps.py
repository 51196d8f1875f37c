"""Knowledge gaps: the kept questions clustered by meaning, weighted by tier, and marked covered."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import MappingProxyType

import pytest

from core.knowledge.gap_records import GapQuestion, GapReason, GapSettings
from core.knowledge.gaps import GapFinder, find_gaps, report_dict
from core.messages import Address
from core.ports import Chunk
from tests.fakes import HashingEmbedder, memory_stores
from tests.gap_fakes import ChunkIndex, ThresholdClusterer

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
DARK = ("how do I turn on dark mode", "dark mode on the mobile app", "is there a dark mode theme", "enable dark mode")
CSV = ("export my invoices as csv", "csv export of invoices", "can I export invoices to csv")
NOISE = ("what is your office address", "who founded the company")


def question(text: str, n: int, *, tier: str = "community", person: str | None = None) -> GapQuestion:
    thread = Address("slack", "T1", "C1", f"t{n}")
    who = person or f"slack:U{n}"
    return GapQuestion(thread, who, tier, text, GapReason.NO_ANSWER, T0 + timedelta(hours=n), 0.2)


def questions() -> list[GapQuestion]:
    """Four community questions about dark mode; three enterprise ones about CSV export; two stray ones."""
    found = [question(text, n) for n, text in enumerate(DARK)]
    found += [question(text, 10 + n, tier="enterprise") for n, text in enumerate(CSV)]
    found += [question(text, 20 + n) for n, text in enumerate(NOISE)]
    return found


def test_questions_are_grouped_by_meaning_and_ranked_by_tier_weighted_size() -> None:
    gaps, noise = find_gaps(questions(), HashingEmbedder(), ThresholdClusterer(0.3))
    assert noise == 2
    csv, dark = gaps  # 3 enterprise questions (weight 4 each) outweigh 4 community ones
    assert (csv.size, csv.weight, dict(csv.tiers)) == (3, 12.0, {"enterprise": 3})
    assert (dark.size, dark.weight, dict(dark.tiers), dark.people) == (4, 4.0, {"community": 4}, 4)
    assert set(dark.representatives) <= set(DARK) and len(dark.representatives) == 3
    assert (dark.first_seen, dark.last_seen) == (T0, T0 + timedelta(hours=3))
    assert dict(dark.reasons) == {"no_answer": 4}


def test_tier_weights_are_configurable() -> None:
    even = GapSettings(tier_weights=MappingProxyType({"community": 1.0, "enterprise": 1.0}))
    gaps, _ = find_gaps(questions(), HashingEmbedder(), ThresholdClusterer(0.3), even)
    assert [g.size for g in gaps] == [4, 3]  # with equal weights the bigger cluster leads
    assert even.weight("no-such-tier") == 1.0


def test_representatives_are_the_questions_nearest_the_centre_and_distinct() -> None:
    asked = [question("enable dark mode", n, person="slack:U1") for n in range(3)]
    asked += [question("dark mode please", 5), question("dark mode for the app", 6), question("dark mode theme", 7)]
    [gap], _ = find_gaps(asked, HashingEmbedder(), ThresholdClusterer(0.3))
    assert gap.representatives[0] == "enable dark mode"  # asked most, so nearest the centre
    assert len(set(gap.representatives)) == 3
    assert (gap.size, gap.people) == (6, 4)  # one person asked three times


def test_too_few_questions_form_no_gap_and_are_not_clustered() -> None:
    clusterer = ThresholdClusterer()
    assert find_gaps([question("dark mode", 1), question("dark mode", 2)], HashingEmbedder(), clusterer) == ([], 2)
    assert clusterer.calls == 0


@pytest.mark.asyncio
async def test_a_gap_is_covered_once_the_knowledge_base_answers_its_representatives() -> None:
    stores, embedder = memory_stores(), HashingEmbedder()
    for q in questions():
        await stores.gaps.record(q)
    article = Chunk(
        "dark#0", "dark", "dark mode", "", "turn on dark mode enable the dark mode theme app", "d.md", "https://d"
    )
    finder = GapFinder(stores.gaps, embedder, ThresholdClusterer(0.3), ChunkIndex(embedder, [article]), 0.3)
    report = await finder.report(T0, T0 + timedelta(days=2))
    by_size = {g.size: g for g in report.gaps}
    dark, csv = by_size[4], by_size[3]
    assert dark.coverage is not None and dark.coverage.covered
    assert (dark.coverage.url, dark.coverage.title) == ("https://d", "dark mode")
    assert csv.coverage is not None and not csv.coverage.covered
    doc = report_dict(report)
    assert [g["covered"] for g in doc["gaps"]] == [False, True]
    assert doc["gaps"][1]["covered_by"]["url"] == "https://d"
    assert (doc["questions"], doc["noise"]) == (9, 2)


@pytest.mark.asyncio
async def test_the_report_reads_only_its_period_and_needs_no_index() -> None:
    stores = memory_stores()
    for q in questions():
        await stores.gaps.record(q)
    finder = GapFinder(stores.gaps, HashingEmbedder(), ThresholdClusterer(0.3), None, 0.45)
    report = await finder.report(T0 + timedelta(hours=10), T0 + timedelta(hours=13))  # the three CSV ones
    [gap] = report.gaps
    assert (report.questions, gap.size, gap.coverage) == (3, 3, None)
    assert report_dict(report)["gaps"][0]["covered"] is None
