"""NPS through the desk and its worker: paying customers with a recent ticket, asked at most once per interval."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.messages import Destination, Mention, Outbound, ReplyKind
from core.satisfaction.nps import NpsRound
from core.satisfaction.policy import SatisfactionPolicy
from core.satisfaction.records import SurveyKind
from tests.desk_fakes import Harness, make_harness

pytestmark = pytest.mark.asyncio


def nps_sent(sent: list[Outbound]) -> list[Outbound]:
    return [o for o in sent if o.reply.kind is ReplyKind.SURVEY and "recommend" in o.reply.text]


async def resolve_one(h: Harness, thread: str = "t1") -> None:
    await h.say("the whole API is down", thread=thread)
    number = len(await h.store.tickets.list_tickets(active_only=False))
    await h.mod(f"resolve {number}")


async def test_a_paying_customer_with_a_resolved_ticket_is_asked_by_direct_message() -> None:
    h = make_harness(tier="enterprise")
    await resolve_one(h)
    [question] = nps_sent(await h.wait(timedelta(minutes=1)))
    assert question.reply.text.startswith("How likely are you to recommend our product to a friend or colleague?")
    assert question.reply.destination is Destination.DIRECT
    assert question.reply.mentions == (Mention("discord", "user", "ana"),)
    assert [c.score for c in question.reply.choices] == list(range(11))
    [reply] = await h.say("", choice=question.reply.choices[9].value)
    survey = await h.store.surveys.latest_for(SurveyKind.NPS, "discord", "ana")
    assert survey is not None and survey.score == 9 and "9" in reply.text


async def test_asked_at_most_once_per_interval_and_again_after_it_with_a_new_ticket() -> None:
    h = make_harness(tier="enterprise")
    await resolve_one(h)
    assert len(nps_sent(await h.wait(timedelta(minutes=1)))) == 1
    await resolve_one(h, thread="t2")
    assert nps_sent(await h.wait(timedelta(days=10))) == []
    assert nps_sent(await h.wait(timedelta(days=81))) == []  # 91 days on, but no ticket in the last 30
    await resolve_one(h, thread="t3")
    assert len(nps_sent(await h.wait(timedelta(hours=2)))) == 1


async def test_free_tiers_are_not_asked_unless_configured() -> None:
    h = make_harness()  # ana is on the community tier
    await resolve_one(h)
    assert nps_sent(await h.wait(timedelta(minutes=1))) == []
    assert h.worker.nps is not None
    h.worker.nps.policy = SatisfactionPolicy(nps_tiers=frozenset({"community"}))
    assert len(nps_sent(await h.wait(timedelta(hours=2)))) == 1


async def test_two_workers_rounds_on_the_same_day_ask_once() -> None:
    h = make_harness(tier="enterprise")
    await resolve_one(h)
    policy = SatisfactionPolicy()
    first = NpsRound(h.store, h.clock, policy, every=timedelta(hours=1))
    second = NpsRound(h.store, h.clock, policy, every=timedelta(hours=1))
    assert len(await first.run_once()) == 1
    assert await second.run_once() == []
    assert nps_sent(h.notifier.sent) == []  # queued in the outbox, sent by the worker's drain
    await h.worker.drain(h.clock.now())
    await h.worker.drain(h.clock.now())
    assert len(nps_sent(h.notifier.sent)) == 1


async def test_without_direct_messages_the_question_goes_to_the_tickets_thread() -> None:
    h = make_harness(tier="enterprise")
    await resolve_one(h)
    policy = SatisfactionPolicy(direct_platforms=frozenset())
    [survey] = await NpsRound(h.store, h.clock, policy, every=timedelta(hours=1)).run_once()
    await h.worker.drain(h.clock.now())
    [question] = nps_sent(h.notifier.sent)
    assert question.reply.destination is Destination.THREAD and question.reply.mentions == ()
    assert question.address.thread == "t1" and survey.ticket is None
