"""Contract tests for ``Reviews`` on the fake, SQLite and PostgreSQL: a review reads back whole with its note
queued, one review per ticket (even racing), the reviewed ones among many tickets, the reviews since a time."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from core.messages import Address, Destination, Outbound, Reply, ReplyKind
from core.reviews.records import Review
from core.stores import Stores

pytestmark = pytest.mark.asyncio

T0 = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
AGENT = Address.parse("slack:U0AGENT")


def _review(ticket: int = 7, at: datetime = T0, agent: str | None = "slack:U0AGENT", note: str = "") -> Review:
    scores = {"accuracy": 4, "tone": 5, "speed": 3, "resolution": 4}
    return Review(ticket, "slack:U0LEAD", agent, scores, note, at)


def _notice(text: str) -> Outbound:
    return Outbound(AGENT, Reply(ReplyKind.INFO, text, destination=Destination.DIRECT))


async def test_a_review_reads_back_whole_with_its_note_queued(store: Stores) -> None:
    review = _review(note="Check the status page first — then answer 😊")
    assert await store.reviews.save(review, [_notice("QA review of your ticket #7")])
    assert await store.reviews.of_ticket(7) == review
    assert await store.reviews.of_ticket(8) is None
    [queued] = await store.outbox.outbox()
    assert queued.outbound == _notice("QA review of your ticket #7")
    nobody = _review(8, agent=None)
    assert await store.reviews.save(nobody, [])
    assert await store.reviews.of_ticket(8) == nobody


async def test_a_ticket_is_reviewed_once_and_a_second_review_queues_nothing(store: Stores) -> None:
    assert await store.reviews.save(_review(), [_notice("first")])
    assert not await store.reviews.save(_review(note="again"), [_notice("second")])
    racing = await asyncio.gather(*(store.reviews.save(_review(9), [_notice(f"{n}")]) for n in range(3)))
    assert sorted(racing) == [False, False, True]
    assert len(await store.outbox.outbox()) == 2
    found = await store.reviews.of_ticket(7)
    assert found is not None and found.note == ""


async def test_the_reviewed_among_many_tickets_and_the_reviews_since_a_time(store: Stores) -> None:
    for number in range(1, 1201, 3):  # more tickets than one query's parameters should carry
        await store.reviews.save(_review(number, T0 + timedelta(minutes=number)), [])
    asked = list(range(1, 1201))
    assert await store.reviews.reviewed(asked) == set(range(1, 1201, 3))
    assert await store.reviews.reviewed([]) == set()
    recent = await store.reviews.since(T0 + timedelta(minutes=1190))
    assert [r.ticket for r in recent] == [1192, 1195, 1198]
