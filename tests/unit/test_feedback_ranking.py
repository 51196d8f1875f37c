"""Votes change later answers: a passage customers keep marking helpful rises for the same question asked in
other words; one they keep marking not helpful stops being the answer. No model: the hashing embedder and a
brute-force index."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from config.intents import load_intents
from config.settings import DEFAULT_INTENTS_FILE
from core.knowledge.ranking import DEFAULT_BOOSTS, Boosts, feedback_factor, rerank
from core.knowledge.records import PassageScore
from core.messages import Reply, ReplyKind
from core.ports import Chunk, SearchHit
from core.text import clean_message
from core.understanding.classifier import IntentPrediction
from core.understanding.understander import Understanding
from tests.desk_fakes import Harness, make_harness
from tests.fakes import HashingEmbedder

MEMORY = Chunk(
    "memory#0", "memory", "Memory", "Memory", "Exit code 137 means the app was killed for memory.", "memory.md",
    "https://docs.example.com/memory",
)  # fmt: skip
EXIT_CODES = Chunk(
    "exit-codes#0", "exit-codes", "Exit codes", "Exit codes", "Exit code 137 means the app was killed by the system.",
    "exit-codes.md", "https://docs.example.com/exit-codes",
)  # fmt: skip
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


class VectorUnderstander:
    """Every message is a how-to question; its passages come from cosine similarity over the hashing embedder."""

    def __init__(self, chunks: tuple[Chunk, ...]) -> None:
        self._embedder = HashingEmbedder()
        self._chunks = chunks
        self._vectors = self._embedder.embed([c.embedding_text() for c in chunks])
        self._spec = load_intents(DEFAULT_INTENTS_FILE).get("how_to_question")

    def understand(self, raw: str | bytes) -> Understanding:
        """The hits a dense index would return, best first."""
        clean = clean_message(raw, 2000)
        scores = self._vectors @ self._embedder.embed([clean.text])[0]
        hits = tuple(SearchHit(self._chunks[i], float(scores[i])) for i in np.argsort(-scores))
        prediction = IntentPrediction("how_to_question", "how_to_question", 0.9, 0.5, "confident")
        return Understanding(clean.text, clean.truncated, prediction, "usage", self._spec.base_priority, hits)


def harness() -> Harness:
    return make_harness(understander=VectorUnderstander((MEMORY, EXIT_CODES)))


def cited(replies: list[Reply] | tuple[Reply, ...]) -> str | None:
    answers = [r for r in replies if r.kind is ReplyKind.ANSWER]
    return answers[0].citation.url if answers and answers[0].citation is not None else None


@pytest.mark.asyncio
async def test_a_passage_marked_helpful_rises_for_the_same_question_asked_differently() -> None:
    h = harness()
    asked_differently = "my app was killed with exit code 137"
    assert cited(list(await h.say(asked_differently, thread="before"))) == EXIT_CODES.url
    for n in range(5):  # five customers, each in a thread of their own, found the memory article helpful
        assert cited(list(await h.say("app killed exit code 137 memory", user=f"c{n}", thread=f"t{n}"))) == MEMORY.url
        [thanks] = await h.say("", user=f"c{n}", thread=f"t{n}", choice="helpful")
        assert thanks.text.startswith("Marked helpful")
    assert cited(list(await h.say(asked_differently, user="new", thread="after"))) == MEMORY.url


@pytest.mark.asyncio
async def test_a_passage_marked_not_helpful_stops_being_the_answer() -> None:
    h = harness()
    question = "my app was killed with exit code 137"
    for n in range(3):  # three customers got the exit-codes passage …
        assert cited(list(await h.say(question, user=f"c{n}", thread=f"t{n}"))) == EXIT_CODES.url
    for n in range(3):  # … and each said it did not help (and got a ticket)
        [ticket] = await h.say("", user=f"c{n}", thread=f"t{n}", choice="not_helpful")
        assert ticket.kind is ReplyKind.TICKET and ticket.text.startswith("Marked not helpful.")
    assert cited(list(await h.say(question, user="new", thread="after"))) == MEMORY.url  # the next best passage


@pytest.mark.asyncio
async def test_a_lone_passage_marked_not_helpful_falls_below_the_answer_threshold_and_a_ticket_is_offered() -> None:
    h = make_harness(understander=VectorUnderstander((EXIT_CODES,)))
    question = "why does my app get killed with exit code 137"  # 0.46: just above the answer threshold
    for n in range(3):
        assert cited(list(await h.say(question, user=f"c{n}", thread=f"t{n}"))) == EXIT_CODES.url
    for n in range(3):
        await h.say("", user=f"c{n}", thread=f"t{n}", choice="not_helpful")
    [reply] = await h.say(question, user="new", thread="after")
    assert reply.kind is ReplyKind.INFO and "open a ticket" in reply.text


@pytest.mark.asyncio
async def test_a_second_press_in_a_thread_changes_its_vote_instead_of_adding_one() -> None:
    h = harness()
    await h.say("app killed exit code 137 memory")
    [first] = await h.say("", choice="helpful")
    [again] = await h.say("", choice="helpful")
    [changed] = await h.say("", choice="not_helpful")
    assert (first.text, again.text) == (
        "Marked helpful — thanks, glad that helped!",
        "Already marked helpful — glad that helped!",
    )
    assert changed.text.startswith("Changed to not helpful.")
    assert await h.store.feedback.scores_for([MEMORY.chunk_id]) == {
        MEMORY.chunk_id: PassageScore(MEMORY.chunk_id, 0, 1)
    }


def hit(chunk_id: str, score: float) -> SearchHit:
    return SearchHit(Chunk(chunk_id, chunk_id, chunk_id, "", "", f"{chunk_id}.md"), score)


def test_feedback_never_lifts_a_passage_above_a_clearly_better_match() -> None:
    loved = PassageScore("weak", helpful=500, not_helpful=0, last_helpful=NOW)
    assert feedback_factor(loved, NOW) == pytest.approx(1.3 * 1.2 * 1.1, rel=0.02)  # the spec's maxima
    ranked = rerank([hit("strong", 0.80), hit("weak", 0.70)], {"weak": loved}, NOW)
    assert [h.chunk.chunk_id for h in ranked] == ["strong", "weak"]
    assert ranked[1].score == pytest.approx(0.70 + DEFAULT_BOOSTS.max_lift)
    close = rerank([hit("strong", 0.72), hit("weak", 0.70)], {"weak": loved}, NOW)
    assert [h.chunk.chunk_id for h in close] == ["weak", "strong"]  # a near tie is what feedback decides


def test_no_votes_change_nothing_and_old_helpful_votes_fade() -> None:
    hits = [hit("a", 0.6), hit("b", 0.5)]
    assert rerank(hits, {}, NOW) == tuple(hits)
    fresh = PassageScore("a", helpful=3, last_helpful=NOW)
    old = PassageScore("a", helpful=3, last_helpful=NOW - timedelta(days=365))
    assert feedback_factor(fresh, NOW) > feedback_factor(old, NOW) > 1.0
    assert feedback_factor(PassageScore("a", not_helpful=3), NOW, Boosts()) < 1.0
