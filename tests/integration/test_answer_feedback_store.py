"""Contract tests for ``AnswerFeedback``: on the fake, on SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from core.knowledge.records import PassageScore, PassageVote, Vote, Voted
from core.messages import Address, Citation
from core.stores import Stores
from core.tickets.records import ConversationMessage, NewTicket, Priority, Role

pytestmark = pytest.mark.asyncio

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
THREAD = Address("slack", "T1", "C1", "1700000000.1")
OTHER = Address("slack", "T1", "C1", "1700000000.2")
VOTE = PassageVote(THREAD, "oom#0", "https://docs/oom", "Out of memory", "exit 137?", Vote.HELPFUL, T0)


async def test_a_second_press_changes_the_threads_vote_and_never_adds_one(store: Stores) -> None:
    fb = store.feedback
    assert await fb.vote(VOTE) is Voted.NEW
    assert await fb.vote(replace(VOTE, at=T0 + timedelta(minutes=1))) is Voted.SAME
    later = T0 + timedelta(minutes=2)
    assert await fb.vote(replace(VOTE, vote=Vote.NOT_HELPFUL, at=later)) is Voted.CHANGED
    assert await fb.scores_for(["oom#0", "unvoted#1"]) == {"oom#0": PassageScore("oom#0", 0, 1, None)}
    [kept] = await fb.votes_since(T0)
    assert (kept.vote, kept.at) == (Vote.NOT_HELPFUL, later)


async def test_votes_add_up_per_passage_across_threads(store: Stores) -> None:
    fb = store.feedback
    await fb.vote(VOTE)
    await fb.vote(replace(VOTE, address=OTHER, at=T0 + timedelta(hours=1)))
    await fb.vote(replace(VOTE, address=OTHER, passage="oom#1", vote=Vote.NOT_HELPFUL))
    scores = await fb.scores_for(["oom#0", "oom#1"])
    assert scores["oom#0"] == PassageScore("oom#0", 2, 0, T0 + timedelta(hours=1))
    assert scores["oom#1"] == PassageScore("oom#1", 0, 1, None)
    assert [v.passage for v in await fb.votes_since(T0 + timedelta(minutes=30))] == ["oom#0"]


async def test_two_presses_racing_keep_one_vote(store: Stores) -> None:
    results = await asyncio.gather(*(store.feedback.vote(VOTE) for _ in range(4)))
    assert sorted(results) == sorted([Voted.NEW, Voted.SAME, Voted.SAME, Voted.SAME])
    assert (await store.feedback.scores_for(["oom#0"]))["oom#0"].helpful == 1


async def test_an_answer_then_a_ticket_in_the_same_thread_within_the_window(store: Stores) -> None:
    answer = ConversationMessage(
        THREAD,
        "helpline",
        "Helpline",
        Role.BOT,
        "Raise the limit",
        T0,
        citation=Citation("OOM", "https://docs/oom", "oom#0"),
    )
    await store.conversations.record_message(answer)
    [kept] = await store.conversations.conversation(THREAD, limit=5)
    assert kept.citation == Citation("OOM", "https://docs/oom", "oom#0")  # the passage travels with the answer
    soon = NewTicket(
        "acme", "pro", THREAD, "U1", "Ada", "exit 137 again", None, Priority.HIGH, T0 + timedelta(hours=2), None, None
    )
    late = replace(soon, address=OTHER, created_at=T0 + timedelta(days=2))
    number = (await store.tickets.open_ticket(soon, "slack:U1")).number
    await store.tickets.open_ticket(late, "slack:U1")
    await store.conversations.record_message(replace(answer, address=OTHER))
    [found] = await store.feedback.answers_then_tickets(T0 - timedelta(days=1), timedelta(hours=24))
    assert (found.url, found.title, found.question, found.answered_at, found.ticket) == (
        "https://docs/oom",
        "OOM",
        "exit 137 again",
        T0,
        number,
    )
    assert await store.feedback.answers_then_tickets(T0 + timedelta(minutes=1), timedelta(hours=24)) == []
