"""Slack events survive the process: stored before the ack, handled after a restart, exactly once."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bots.slack.events import KEEP_DONE, LEASE, TIDY_EVERY, event_job
from config.intents import load_intents
from config.settings import DEFAULT_INTENTS_FILE
from core.jobs import JobStatus, NewJob
from core.store.engine import create_engine_for, sqlite_url
from core.store.job_queue import SqlJobQueue
from core.store.migrate import upgrade_schema
from core.store.sql_store import sql_stores
from tests.adapters.slack_fake import BOT_USER, payload, signature_headers
from tests.adapters.slack_world import ANA, GatedUnderstander, World, connect_message, make_world, shown, thread_reply
from tests.desk_fakes import RULES, KeywordUnderstander
from tests.job_fakes import InMemoryJobQueue

pytestmark = pytest.mark.asyncio


async def kill(world: World) -> None:
    """The process dies: its tasks stop wherever they are, nothing is finished or flushed."""
    runner = world.runner
    tasks = [*runner.bot._tasks, *([runner._draining] if runner._draining else [])]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    await world.http.aclose()
    await world.slack.close()


async def restart(before: World) -> World:
    """A new process on the same database (store, job queue) and clock, with a working model."""
    understander = KeywordUnderstander(load_intents(DEFAULT_INTENTS_FILE), RULES)
    return await make_world(understander, store=before.store, queue=before.queue, clock=before.clock)


async def test_an_event_acknowledged_before_a_crash_is_handled_after_the_restart() -> None:
    gated = GatedUnderstander()
    first = await make_world(gated)
    envelope = connect_message("the dashboard is down for everyone")
    body = json.dumps(envelope).encode()
    headers = {"Content-Type": "application/json", **signature_headers(body)}
    try:
        assert (await first.http.post("/slack/events", content=body, headers=headers)).status_code == 200
        for _ in range(100):  # until the handling has taken the event and is busy with the model
            if (await first.queue.jobs("slack"))[0].attempts:
                break
            await asyncio.sleep(0.01)
        await kill(first)  # acknowledged, Slack will never send it again, and nothing was handled
    finally:
        gated.gate.set()
    assert first.slack.posts() == [] and await first.store.tickets.list_tickets(active_only=False) == []
    second = await restart(first)
    try:
        second.clock.advance(LEASE + timedelta(seconds=1))  # the dead process's lease runs out
        await second.runner.bot.events.run_once()
        [ack] = second.slack.posts()
        assert "Ticket #1" in ack["text"] and ack["thread_ts"] == envelope["event"]["ts"]
        assert len(await second.store.tickets.list_tickets()) == 1
        # Slack's late retries of the same event change nothing.
        await second.event(envelope, retry=1)
        await second.event(envelope, retry=2)
        assert len(second.slack.posts()) == 1 and len(await second.store.tickets.list_tickets()) == 1
        [job] = await second.queue.jobs("slack")
        assert job.status is JobStatus.DONE
    finally:
        await second.close()


async def test_events_stored_by_a_process_that_died_are_handled_at_start_in_their_order() -> None:
    first = await make_world()
    question = payload("event_message")
    question["event"]["text"] = "my app dies with exit code 137"
    follow = thread_reply(ANA, "hello? anyone?", question["event"]["ts"], "C0HELPDESK", "Ev07QUICK")
    for envelope in (question, follow):  # what the listener stored before acknowledging, then the crash
        assert await first.runner.bot.events.accept(*event_job(envelope["event_id"], envelope, BOT_USER))
    await kill(first)
    second = await restart(first)
    try:
        await second.runner.bot.events.run_once()
        answer, greeting = second.slack.posts()
        assert "App killed with exit code 137" in shown(answer)
        assert "Hi!" in greeting["text"]
        assert all(p["thread_ts"] == question["event"]["ts"] for p in (answer, greeting))
    finally:
        await second.close()


async def store_and_start(world: World, *envelopes: dict[str, Any]) -> asyncio.Task[int]:
    """What the listener does for a burst: store each event, then drain; returns the running drain."""
    for envelope in envelopes:
        assert await world.runner.bot.events.accept(*event_job(envelope["event_id"], envelope, BOT_USER))
    return asyncio.ensure_future(world.runner.bot.events.run_once())


async def until_taken(world: World, event_id: str) -> None:
    """Wait until the drain has taken the event (and is busy with the model)."""
    for _ in range(500):
        if any(j.key == f"event:{event_id}" and j.attempts for j in await world.queue.jobs("slack")):
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"{event_id} was never taken")


def in_thread(world: World, ts: str) -> list[str]:
    return [str(p["text"]) for p in world.slack.posts() if p.get("thread_ts") == ts]


QUESTION_TEXT = "Our whole API is down, every request fails"
FOLLOW_UP = "any update? it is still down"


def question_and_follow_up() -> tuple[dict[str, Any], dict[str, Any]]:
    question = payload("event_message")
    question["event"]["text"] = QUESTION_TEXT
    return question, thread_reply(ANA, FOLLOW_UP, question["event"]["ts"], "C0HELPDESK", "Ev07FOLLOWUP")


async def crash_while_handling(first: World, gated: GatedUnderstander, *envelopes: dict[str, Any]) -> World:
    """Store ``envelopes``, kill the process while it handles the first of them, and start a new one."""
    draining = await store_and_start(first, *envelopes)
    try:
        await until_taken(first, envelopes[0]["event_id"])
        draining.cancel()
        await kill(first)
    finally:
        gated.gate.set()
        await asyncio.gather(draining, return_exceptions=True)
    return await restart(first)


async def test_a_follow_up_after_a_restart_never_overtakes_a_question_stored_before_the_crash() -> None:
    gated = GatedUnderstander()
    first = await make_world(gated, concurrency=1)  # the question is still waiting, untaken, when the process dies
    other = connect_message("the dashboard is down for everyone")  # another thread, cut off by the crash
    question, follow = question_and_follow_up()
    second = await crash_while_handling(first, gated, other, question)
    try:
        await second.event(follow)  # the customer asks again right after the restart
        [ticket] = await second.store.tickets.list_tickets()
        assert ticket.subject.startswith(QUESTION_TEXT)  # the question opened the ticket, not the follow-up
        [answer, added] = in_thread(second, question["event"]["ts"])
        assert "Ticket #1" in answer and "#1" in added and "Ticket #2" not in added
        second.clock.advance(LEASE + timedelta(seconds=1))  # the thread that was cut off, once its lease is over
        await second.runner.bot.events.run_once()
        assert len(await second.store.tickets.list_tickets()) == 2
    finally:
        await second.close()


async def test_a_follow_up_waits_for_its_question_cut_off_by_a_crash() -> None:
    gated = GatedUnderstander()
    first = await make_world(gated)
    question, follow = question_and_follow_up()
    second = await crash_while_handling(first, gated, question)
    try:
        await second.event(follow)
        assert second.slack.posts() == [] and await second.store.tickets.list_tickets() == []  # it waits its turn
        second.clock.advance(LEASE + timedelta(seconds=1))
        await second.runner.bot.events.run_once()
        [ticket] = await second.store.tickets.list_tickets()
        assert ticket.subject.startswith(QUESTION_TEXT)
        [answer, added] = in_thread(second, question["event"]["ts"])
        assert "Ticket #1" in answer and "#1" in added
    finally:
        await second.close()


class UnreachableQueue(InMemoryJobQueue):
    async def enqueue(self, job: NewJob, at: datetime) -> bool:
        raise OSError("database unreachable")


async def test_an_event_that_cannot_be_stored_is_not_acknowledged_so_slack_retries_it() -> None:
    world = await make_world(queue=UnreachableQueue())
    try:
        body = json.dumps(connect_message("the dashboard is down")).encode()
        headers = {"Content-Type": "application/json", **signature_headers(body)}
        response = await world.http.post("/slack/events", content=body, headers=headers)
        assert response.status_code >= 500  # no ack: Slack sends it again later
        assert world.slack.posts() == []
    finally:
        await world.close()


async def test_a_restart_on_the_sqlite_database_handles_the_stored_event_once(tmp_path: Path) -> None:
    engine = create_engine_for(sqlite_url(tmp_path / "helpline.sqlite3"))
    await upgrade_schema(engine)
    first = await make_world(store=sql_stores(engine), queue=SqlJobQueue(engine))
    envelope = connect_message("the dashboard is down for everyone")
    try:
        await first.runner.bot.events.accept(*event_job(envelope["event_id"], envelope, BOT_USER))
        await kill(first)
        second = await restart(first)
        try:
            await second.runner.bot.events.run_once()
            await second.event(envelope, retry=1)
            assert len(second.slack.posts()) == 1 and len(await second.store.tickets.list_tickets()) == 1
            assert await second.queue.counts("slack") == {JobStatus.PENDING: 0, JobStatus.DONE: 1, JobStatus.FAILED: 0}
        finally:
            await second.close()
    finally:
        await engine.dispose()


async def test_handled_events_are_kept_a_week_then_forgotten() -> None:
    world = await make_world()
    envelope = connect_message("the dashboard is down for everyone")
    try:
        await world.event(envelope)
        drain = world.runner.bot.events
        world.clock.advance(KEEP_DONE - timedelta(minutes=1))
        assert await drain.tidy() == 0
        await world.event(envelope, retry=1)  # six days later: still recognised
        assert len(world.slack.posts()) == 1
        world.clock.advance(TIDY_EVERY + timedelta(minutes=2))
        assert await drain.tidy() == 1
        assert await world.queue.jobs("slack") == []
    finally:
        await world.close()
