"""The desk keeps the questions it could not answer well, for the knowledge-gap report."""

from __future__ import annotations

from datetime import timedelta

import pytest

from config.intents import load_intents
from config.settings import DEFAULT_INTENTS_FILE
from core.knowledge.gap_records import GapReason
from core.knowledge.gaps import GapFinder
from tests.desk_fakes import RULES, START, Harness, KeywordUnderstander, make_harness
from tests.fakes import HashingEmbedder
from tests.gap_fakes import ThresholdClusterer

pytestmark = pytest.mark.asyncio


async def reasons(h: Harness) -> list[tuple[str, GapReason, str, str]]:
    """What the desk kept: each question, why, who asked and at which tier."""
    found = await h.store.gaps.since(START - timedelta(days=1))
    return [(q.text, q.reason, q.person, q.tier) for q in found]


async def test_a_question_the_desk_was_not_sure_about_is_kept_with_who_asked_and_their_tier() -> None:
    h = make_harness(tier="enterprise")
    await h.say("what is the weather on mars", user="ana")
    assert await reasons(h) == [("what is the weather on mars", GapReason.NOT_SURE, "discord:ana", "enterprise")]


async def test_no_passage_close_enough_and_a_handoff_with_nothing_from_the_docs_are_kept() -> None:
    h = make_harness()
    await h.say("where is my invoice", thread="t1")  # billing, the docs score 0.1
    await h.say("everything is down", thread="t2", user="bo")  # a person is needed; the docs hold nothing
    kept = await reasons(h)
    assert [(text, reason) for text, reason, _, _ in kept] == [
        ("where is my invoice", GapReason.NO_ANSWER),
        ("everything is down", GapReason.HANDED_OFF),
    ]
    assert kept[1][2:] == ("discord:bo", "community")


async def test_a_good_answer_and_a_greeting_are_not_gaps() -> None:
    h = make_harness()
    await h.say("my app exits with 137", thread="t1")  # answered at 0.8
    await h.say("hello there", thread="t2")
    await h.say("the app crash again", thread="t3")  # a ticket, with the docs shown meanwhile
    assert await reasons(h) == []


async def test_an_answer_just_over_the_threshold_is_a_low_confidence_one() -> None:
    catalog = load_intents(DEFAULT_INTENTS_FILE)
    rules = (("137", "how_to_question", 0.47), *RULES[1:])  # answer_score 0.45, margin 0.05
    h = make_harness(understander=KeywordUnderstander(catalog, rules))
    replies = await h.say("my app exits with 137")
    assert replies[0].citation is not None  # still answered
    [(text, reason, _, _)] = await reasons(h)
    assert (text, reason) == ("my app exits with 137", GapReason.LOW_CONFIDENCE)
    [kept] = await h.store.gaps.since(START)
    assert kept.score == pytest.approx(0.47)


async def test_not_helpful_is_kept_once_however_often_it_is_pressed() -> None:
    h = make_harness()
    await h.say("my app exits with 137", user="cy")
    await h.say("", user="cy", choice="not_helpful")
    await h.say("", user="cy", choice="not_helpful")
    assert await reasons(h) == [("my app exits with 137", GapReason.NOT_HELPFUL, "discord:cy", "community")]


async def test_asking_for_a_person_after_an_answer_is_a_handoff_kept_once() -> None:
    h = make_harness()
    await h.say("my app exits with 137")
    await h.say("", choice="human")
    await h.say("", choice="human")  # the thread has its ticket now
    assert [(t, r) for t, r, _, _ in await reasons(h)] == [("my app exits with 137", GapReason.HANDED_OFF)]


async def test_a_low_confidence_answer_marked_not_helpful_is_one_question_in_the_report() -> None:
    catalog = load_intents(DEFAULT_INTENTS_FILE)
    rules = (("137", "how_to_question", 0.47), *RULES[1:])
    h = make_harness(understander=KeywordUnderstander(catalog, rules))
    for n in range(3):
        await h.say("my app exits with 137", user=f"c{n}", thread=f"t{n}")
        await h.say("", user=f"c{n}", thread=f"t{n}", choice="not_helpful")
    kept = [(q.person, q.reason) for q in await h.store.gaps.since(START)]
    assert kept[:2] == [("discord:c0", GapReason.LOW_CONFIDENCE), ("discord:c0", GapReason.NOT_HELPFUL)]
    # Its vote re-ranks the passage under the threshold for the next two: no answer at all for them.
    assert kept[2:] == [("discord:c1", GapReason.NO_ANSWER), ("discord:c2", GapReason.NO_ANSWER)]
    finder = GapFinder(h.store.gaps, HashingEmbedder(), ThresholdClusterer(0.5), None, 0.45)
    [gap] = (await finder.report(START, START + timedelta(days=1))).gaps
    assert (gap.size, gap.people, dict(gap.reasons)) == (3, 3, {"no_answer": 2, "low_confidence": 1})
