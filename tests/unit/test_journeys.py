"""Onboarding journeys: the planner's days and business hours, the stop rules, and each step sent once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from config.journeys_config import load_journeys
from core.customers.journeys import (
    Journey,
    JourneyStart,
    JourneyState,
    JourneyStep,
    StopReason,
    due_at,
    due_step,
    plan_ahead,
    progress_of,
    stops_on_reply,
)
from core.customers.journeys_pass import JourneyPass
from core.errors import ConfigError
from core.messages import DISCORD, Address, Destination, Mention
from tests.journey_world import JourneyWorld, journey_world, tiers

BUSINESS = tiers().get("professional").sla.calendar  # Europe/London, Monday to Friday 08:00-18:00
JOURNEY = Journey(
    "professional",
    (JourneyStep("welcome", 0, "Hi {name}\n{articles}"), JourneyStep("first", 1, "b"), JourneyStep("tip", 3, "c")),
)


def _start(at: datetime) -> JourneyStart:
    return JourneyStart("discord:1", Address(DISCORD, "9"), "professional", at, "discord_join", "Ana")


def test_steps_are_due_their_day_after_the_start() -> None:
    monday = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    progress = progress_of(_start(monday))
    assert due_at(JOURNEY, progress, BUSINESS) == monday
    assert due_step(JOURNEY, progress, BUSINESS, monday) == JOURNEY.steps[0]
    planned = plan_ahead(JOURNEY, progress, BUSINESS, monday, monday + timedelta(days=10))
    assert [(p.step, p.due) for p in planned] == [
        ("welcome", monday),
        ("first", monday + timedelta(days=1)),
        ("tip", monday + timedelta(days=3)),
    ]


def test_a_step_falling_outside_business_hours_waits_for_the_next_opening() -> None:
    friday_evening = datetime(2026, 11, 27, 17, 30, tzinfo=UTC)  # the day-1 step would fall on Saturday
    planned = plan_ahead(
        JOURNEY, progress_of(_start(friday_evening)), BUSINESS, friday_evening, friday_evening + timedelta(days=7)
    )
    assert [p.due for p in planned] == [
        friday_evening,
        datetime(2026, 11, 30, 8, 0, tzinfo=UTC),  # Monday 08:00 in London
        datetime(2026, 11, 30, 17, 30, tzinfo=UTC),  # day 3 is Monday, inside the hours
    ]
    night = datetime(2026, 11, 24, 22, 0, tzinfo=UTC)
    assert due_at(JOURNEY, progress_of(_start(night)), BUSINESS) == datetime(2026, 11, 25, 8, 0, tzinfo=UTC)


def test_only_a_message_after_a_step_stops_the_journey() -> None:
    start = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    progress = progress_of(_start(start))
    assert not stops_on_reply(progress, start + timedelta(minutes=5))  # nothing was sent yet
    sent = progress.__class__(**{**progress.__dict__, "step": 1, "last_sent_at": start + timedelta(hours=1)})
    assert stops_on_reply(sent, start + timedelta(hours=2))
    assert not stops_on_reply(sent, start + timedelta(minutes=30))


def test_the_shipped_journeys_have_the_specified_days() -> None:
    journeys = load_journeys(tiers=["community", "professional", "enterprise"]).journeys
    days = [(s.name, s.day) for s in journeys["professional"].steps]
    assert days[:4] == [("welcome", 0), ("first steps", 1), ("features", 3), ("feedback", 7)]
    assert [d for _, d in days[4:]] == [21, 35, 49]  # then a tip every two weeks


def test_mistakes_in_the_journeys_file_name_the_file_and_key(tmp_path: Path) -> None:
    path = tmp_path / "journeys.yaml"
    path.write_text("journeys:\n  gold:\n    steps: [{day: 0, name: a, message: m}]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"journeys.gold: no such tier"):
        load_journeys(path, tiers=["professional"])
    path.write_text(
        "journeys:\n  professional:\n    steps: [{day: 3, name: a, message: m}, {day: 1, name: b, message: n}]\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match=r"journeys.professional.steps\[1\].day: day 1 comes before"):
        load_journeys(path, tiers=["professional"])
    path.write_text("journeys:\n  professional:\n    stpes: []\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"stpes: unknown setting \(did you mean steps\?\)"):
        load_journeys(path, tiers=["professional"])


async def _days(world: JourneyWorld, days: float) -> None:
    world.clock.advance(timedelta(days=days))
    await world.worker.run_once()


@pytest.mark.asyncio
async def test_a_joined_member_gets_each_step_by_direct_message_in_order() -> None:
    world = journey_world()
    assert await world.join()
    assert not await world.join()  # a second join is the same person: one journey
    await world.worker.run_once()
    welcome = world.dms()
    assert len(welcome) == 1
    assert welcome[0].reply.destination is Destination.DIRECT
    assert welcome[0].reply.mentions == (Mention(DISCORD, "user", "501"),)
    assert welcome[0].reply.text.startswith("Welcome, Ana!")
    await world.worker.run_once()
    assert len(world.dms()) == 1  # nothing more until day 1
    await _days(world, 1)
    await _days(world, 2)
    assert [o.reply.text.split(",")[0] for o in world.dms()] == [
        "Welcome",
        "First steps",
        "Worth a look on day three: reports",
    ]
    for _ in range(10):
        await _days(world, 7)
    progress = await world.stores.journeys.get("discord:501")
    assert progress is not None and progress.state is JourneyState.COMPLETED
    assert len(world.dms()) == 7  # four steps and three tips, each once


@pytest.mark.asyncio
async def test_two_workers_send_a_step_once() -> None:
    world = journey_world()
    await world.join()
    settings = world.desk.desk.journeys
    assert settings is not None
    first, second = (JourneyPass(world.stores, world.clock, tiers(), settings) for _ in range(2))
    assert sorted(await asyncio.gather(first.run_once(), second.run_once())) == [0, 1]
    assert await first.run_once() == 0 and await second.run_once() == 0
    await world.worker.run_once()
    await world.worker.run_once()
    assert len(world.dms()) == 1


@pytest.mark.asyncio
async def test_helpline_stop_ends_the_journey_and_says_so() -> None:
    world = journey_world()
    await world.join()
    await world.worker.run_once()
    assert "no more onboarding messages" in await world.command("stop")
    assert "nothing to stop" in await world.command("stop")
    await _days(world, 30)
    assert len(world.dms()) == 1
    progress = await world.stores.journeys.get("discord:501")
    assert progress is not None and progress.stop_reason is StopReason.ASKED


@pytest.mark.asyncio
async def test_a_reply_after_a_step_ends_the_journey() -> None:
    world = journey_world()
    await world.join()
    await world.say("hello, is anyone there?")  # before any step: keeps going
    await world.worker.run_once()
    world.clock.advance(timedelta(hours=1))
    await world.say("thanks, that helped")
    await _days(world, 30)
    assert len(world.dms()) == 1
    progress = await world.stores.journeys.get("discord:501")
    assert progress is not None and progress.stop_reason is StopReason.REPLIED


@pytest.mark.asyncio
async def test_the_preview_lists_who_gets_what_when_and_sends_nothing() -> None:
    world = journey_world()
    await world.join("501", "Ana")
    world.clock.advance(timedelta(hours=2))
    await world.join("502", "Bo")
    settings = world.desk.desk.journeys
    assert settings is not None
    planned = await JourneyPass(world.stores, world.clock, tiers(), settings).preview(days=2)
    assert [(p.person, p.step) for p in planned] == [
        ("discord:501", "welcome"),
        ("discord:502", "welcome"),
        ("discord:501", "first steps"),
        ("discord:502", "first steps"),
    ]
    assert await world.stores.outbox.outbox() == []
    assert world.notifier.sent == []


@pytest.mark.asyncio
async def test_next_due_is_the_next_steps_time_in_business_hours_and_none_once_stopped() -> None:
    world = journey_world()
    assert await world.join()
    due = JourneyPass(world.stores, world.clock, tiers(), load_journeys(tiers=[t.name for t in tiers().tiers])).next_due
    [progress] = await world.stores.journeys.active()
    assert due(progress) == progress.started_at  # the welcome: Monday 09:00 London is open
    await world.worker.run_once()
    [progress] = await world.stores.journeys.active()
    assert due(progress) == progress.started_at + timedelta(days=1)  # day 1: Tuesday, open as well
    await world.command("stop")
    stopped = await world.stores.journeys.get(progress.person)
    assert stopped is not None and due(stopped) is None
