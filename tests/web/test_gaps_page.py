"""The knowledge-gaps page: the questions the desk could not answer, grouped by meaning, heaviest first."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta

from core.knowledge.gap_records import GapQuestion, GapReason
from core.knowledge.gaps import GapFinder
from core.ports import Chunk
from tests.desk_fakes import START, Harness, make_harness, place
from tests.fakes import HashingEmbedder
from tests.gap_fakes import ChunkIndex, ThresholdClusterer
from tests.web.numbers_world import client_of, words
from tests.web_fakes import dashboard_deps, viewer

DARK = ("is there a dark mode", "dark mode for the dashboard", "please add dark mode")
SCRIPT = ("<script>alert(1)</script> mobile app", "mobile app <b>ios</b> app", "a mobile app")


def asked(questions: tuple[str, ...]) -> Harness:
    """Customers asking ``questions`` the keyword desk is not sure about, one thread each."""
    harness = make_harness()

    async def talk() -> None:
        for n, text in enumerate(questions):
            await harness.say(text, user=f"c{n}", thread=f"t{n}")

    asyncio.run(talk())
    return harness


def finder(harness: Harness, chunks: tuple[Chunk, ...] = ()) -> GapFinder:
    embedder = HashingEmbedder()
    index = ChunkIndex(embedder, chunks) if chunks else None
    return GapFinder(harness.store.gaps, embedder, ThresholdClusterer(0.3), index, 0.45)


def test_the_page_lists_each_gap_with_its_questions_people_and_tiers() -> None:
    harness = asked((*DARK, "what is the weather on mars"))
    deps = replace(dashboard_deps(harness, viewer()), gaps=finder(harness))
    response = client_of(deps).get("/dashboard/gaps")
    assert response.status_code == 200
    text = words(response.text)
    assert "4 questions, 1 gaps, 1 questions in none." in text
    row = words(response.text.split('class="gap"')[1])
    assert all(question in row for question in DARK)
    assert row.startswith("> 1 ") and "3 3 3 community 3" in row  # rank; size, people, weight, tiers
    assert "unknown" in row  # no index given: coverage is not known


def test_a_gap_the_knowledge_base_now_answers_is_marked_covered() -> None:
    harness = asked(DARK)
    article = Chunk(
        "dark#0", "dark", "Dark mode", "", "is there a dark mode for the dashboard please add", "d.md", "https://d"
    )
    deps = replace(dashboard_deps(harness, viewer()), gaps=finder(harness, (article,)))
    row = words(client_of(deps).get("/dashboard/gaps").text.split('class="gap"')[1])
    assert "covered by Dark mode" in row


def test_questions_are_escaped() -> None:
    harness = make_harness()
    for n, text in enumerate(SCRIPT):  # kept as typed (the desk cleans markup away; a store may still hold it)
        question = GapQuestion(place("discord", f"t{n}"), f"discord:c{n}", "community", text, GapReason.NOT_SURE, START)
        asyncio.run(harness.store.gaps.record(question))
    deps = replace(dashboard_deps(harness, viewer()), gaps=finder(harness))
    page = client_of(deps).get("/dashboard/gaps").text
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; mobile app" in page
    assert "<b>ios</b>" not in page and "&lt;b&gt;ios&lt;/b&gt;" in page


def test_without_the_model_the_page_says_where_to_get_the_report_and_a_bad_period_is_named() -> None:
    deps = dashboard_deps(make_harness(), viewer())
    response = client_of(deps).get("/dashboard/gaps", params={"since": "1y"})
    text = words(response.text)
    assert response.status_code == 200
    assert "Choose a period of 7d, 30d, 90d; showing 30d." in text
    assert "Run helpline kb gaps instead." in text


def test_the_period_narrows_the_questions() -> None:
    harness = asked(DARK)
    harness.clock.advance(timedelta(days=10))
    deps = replace(dashboard_deps(harness, viewer()), gaps=finder(harness))
    assert "0 questions, 0 gaps" in words(client_of(deps).get("/dashboard/gaps", params={"since": "7d"}).text)
    assert "3 questions, 1 gaps" in words(client_of(deps).get("/dashboard/gaps", params={"since": "30d"}).text)
