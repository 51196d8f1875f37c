"""The "needs update" list, as customers' votes and tickets put articles on it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.knowledge.records import NeedsUpdateRule
from core.knowledge.review import needs_update
from tests.desk_fakes import OOM, Harness, make_harness

pytestmark = pytest.mark.asyncio

QUESTIONS = ("my app exits with 137", "exit code 137 again", "why 137 on deploy")


async def answered(h: Harness, choice: str, n: int, question: str) -> None:
    await h.say(question, user=f"c{n}", thread=f"t{n}")
    await h.say("", user=f"c{n}", thread=f"t{n}", choice=choice)


async def test_an_article_marked_not_helpful_three_times_is_listed_with_the_questions_that_failed() -> None:
    h = make_harness()
    for n, question in enumerate(QUESTIONS):
        await answered(h, "not_helpful", n, question)
    await answered(h, "helpful", 9, "exit 137 once more")
    [review] = await needs_update(h.store.feedback, h.clock.now())
    assert (review.url, review.title, review.helpful, review.not_helpful) == (OOM.url, OOM.title, 1, 3)
    assert set(review.failed_questions) == set(QUESTIONS)


async def test_mostly_helpful_or_few_complaints_keep_an_article_off_the_list() -> None:
    h = make_harness()
    for n in range(2):
        await answered(h, "not_helpful", n, f"exit 137 #{n}")
    assert await needs_update(h.store.feedback, h.clock.now(), NeedsUpdateRule(min_tickets=99)) == []  # 2 < 3
    await answered(h, "not_helpful", 2, "exit 137 #2")
    for n in range(3, 8):  # 3 of 8 votes: under 40 %
        await answered(h, "helpful", n, f"exit 137 #{n}")
    assert await needs_update(h.store.feedback, h.clock.now(), NeedsUpdateRule(min_tickets=99)) == []


async def test_tickets_opened_after_its_answers_put_an_article_on_the_list() -> None:
    h = make_harness()
    for n, question in enumerate(QUESTIONS):  # no vote: they asked for a person
        await answered(h, "human", n, question)
        h.clock.advance(timedelta(minutes=11))  # past the ticket limit's window
    [review] = await needs_update(h.store.feedback, h.clock.now())
    assert (review.not_helpful, review.tickets_after) == (0, 3)
    assert set(review.failed_questions) == set(QUESTIONS)


async def test_votes_older_than_the_window_no_longer_count() -> None:
    h = make_harness()
    for n, question in enumerate(QUESTIONS):
        await answered(h, "not_helpful", n, question)
    h.clock.advance(timedelta(days=31))
    assert await needs_update(h.store.feedback, h.clock.now()) == []
