"""Contract tests for ``JourneyProgress`` on the fake, SQLite and PostgreSQL: one journey a person, a step once."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from core.customers.journeys import JourneyStart, JourneyState, StopReason, progress_of
from core.messages import DISCORD, Address, Destination, Mention, Outbound, Reply, ReplyKind
from core.stores import Stores

pytestmark = pytest.mark.asyncio

T0 = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
HOME = Address(DISCORD, "900")


def _start(person: str = "discord:501", at: datetime = T0) -> JourneyStart:
    return JourneyStart(person, HOME, "professional", at, "discord_join", "Ana")


def _notice(text: str) -> Outbound:
    reply = Reply(ReplyKind.INFO, text, destination=Destination.DIRECT, mentions=(Mention(DISCORD, "user", "501"),))
    return Outbound(HOME, reply)


async def test_a_person_has_one_journey_and_it_reads_back_whole(store: Stores) -> None:
    assert await store.journeys.start(progress_of(_start()))
    assert not await store.journeys.start(progress_of(_start(at=T0 + timedelta(days=1))))
    progress = await store.journeys.get("discord:501")
    assert progress == progress_of(_start())
    assert await store.journeys.get("discord:999") is None
    await store.journeys.start(progress_of(_start("slack:U1", T0 - timedelta(hours=1))))
    assert [p.person for p in await store.journeys.active()] == ["slack:U1", "discord:501"]
    assert [p.person for p in await store.journeys.of_people(["discord:501", "github:x"])] == ["discord:501"]


async def test_of_two_workers_advancing_one_step_one_wins_and_queues_its_notice(store: Stores) -> None:
    await store.journeys.start(progress_of(_start()))
    won = await asyncio.gather(
        *(store.journeys.advance("discord:501", 0, _notice(f"welcome {n}"), T0, last=False) for n in range(3))
    )
    assert sorted(won) == [False, False, True]
    [queued] = await store.outbox.outbox()
    assert queued.outbound.reply.text.startswith("welcome")
    assert queued.outbound.reply.destination is Destination.DIRECT
    assert queued.outbound.reply.mentions == (Mention(DISCORD, "user", "501"),)
    progress = await store.journeys.get("discord:501")
    assert progress is not None and progress.step == 1 and progress.last_sent_at == T0
    assert await store.journeys.advance("discord:501", 1, _notice("last"), T0, last=True)
    done = await store.journeys.get("discord:501")
    assert done is not None and done.state is JourneyState.COMPLETED
    assert not await store.journeys.advance("discord:501", 2, _notice("more"), T0, last=False)
    assert len(await store.outbox.outbox()) == 2


async def test_a_stopped_journey_sends_nothing_more(store: Stores) -> None:
    await store.journeys.start(progress_of(_start()))
    assert await store.journeys.stop("discord:501", StopReason.ASKED, T0)
    assert not await store.journeys.stop("discord:501", StopReason.REPLIED, T0)
    assert not await store.journeys.advance("discord:501", 0, _notice("welcome"), T0, last=False)
    stopped = await store.journeys.get("discord:501")
    assert stopped == replace(
        progress_of(_start()), state=JourneyState.STOPPED, stop_reason=StopReason.ASKED, updated_at=T0
    )
    assert await store.journeys.active() == []
    assert await store.outbox.outbox() == []
