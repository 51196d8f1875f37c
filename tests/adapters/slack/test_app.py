"""The Slack bot with customers: signed requests into the real bolt app, its Web API calls into a fake Slack."""

from __future__ import annotations

import json

import pytest

from tests.adapters.slack_fake import BOT_USER, payload, signature_headers
from tests.adapters.slack_world import (
    ACME,
    ANA,
    GatedUnderstander,
    World,
    buttons,
    make_world,
    outage,
    shown,
    thread_reply,
)

pytestmark = pytest.mark.asyncio


async def test_a_mention_gets_a_threaded_answer_with_its_article_and_buttons(world: World) -> None:
    envelope = payload("event_app_mention")
    envelope["event"]["text"] = f"<@{BOT_USER}> my app keeps dying with exit code 137"
    response = await world.event(envelope)
    assert response.status_code == 200
    [answer] = world.slack.posts()
    assert answer["channel"] == "C0GENERAL"
    assert answer["thread_ts"] == envelope["event"]["ts"]  # in the thread the mention starts
    assert "<https://docs.example.com/oom|App killed with exit code 137>" in shown(answer)
    assert buttons(answer) == ["helpline:helpful", "helpline:not_helpful", "helpline:human"]
    assert answer["unfurl_links"] is False


async def test_the_message_twin_of_a_mention_is_not_answered_twice(world: World) -> None:
    mention = payload("event_app_mention")
    twin = payload("event_mention_message")  # the same message as a channel `message` event
    for envelope in (twin, mention):
        envelope["event"]["text"] = f"<@{BOT_USER}> my app keeps dying with exit code 137"
        assert (await world.event(envelope)).status_code == 200
    assert len(world.slack.posts()) == 1


async def test_not_helpful_opens_a_ticket_acknowledged_in_the_thread(world: World) -> None:
    question = payload("event_message")  # in the support channel C0HELPDESK, thread 1732350000.000100
    await world.event(question)
    [answer] = world.slack.posts()
    assert answer["thread_ts"] == question["event"]["ts"]
    press = payload("block_actions")
    press["response_url"] = f"{world.slack.url}/hooks/actions/T0VENDOR/1"
    assert (await world.interaction(press)).status_code == 200
    ack = world.slack.posts()[-1]
    assert ack["thread_ts"] == question["event"]["ts"]
    assert "Ticket #1" in ack["text"]
    ticket = await world.store.tickets.get(1)
    assert ticket is not None and ticket.requester_id == ANA and ticket.tier == "community"
    assert "answer_not_helpful" in [e.kind for e in await world.store.tickets.events(1)]
    # The answer keeps its text but loses its buttons, so nobody presses them again.
    [again] = world.slack.responses()
    assert again["replace_original"] is True
    assert [b["type"] for b in again["blocks"]] == ["section", "context"]
    assert again["blocks"][-1]["elements"][0]["text"] == "Ana chose “Not helpful”."
    assert again["text"] == press["message"]["text"]


async def test_a_customer_follow_up_joins_the_ticket_in_its_thread(world: World) -> None:
    thread = await outage(world)
    follow = thread_reply("U0ACMEBOB", "still failing", thread, "C0ACMESHARED", "Ev07FOLLOWUP")
    follow["event"] |= {"team": ACME, "user_team": ACME}
    await world.event(follow)
    added = world.slack.posts()[-1]
    assert added["thread_ts"] == thread and "Added to ticket #1" in added["text"]


async def test_direct_messages_are_answered_and_chatter_elsewhere_is_not(world: World) -> None:
    chatter = payload("event_mention_message")
    chatter["event"]["text"] = "lunch at noon, anyone? my app is down"
    chatter["event_id"] = "Ev07CHATTER"
    await world.event(chatter)  # a channel that is not a support channel, without a mention
    assert world.slack.posts() == []
    dm = payload("event_dm")
    dm["event"]["text"] = "exit code 137 again"
    await world.event(dm)
    [answer] = world.slack.posts()
    assert answer["channel"] == "D0ANA" and answer["thread_ts"] == dm["event"]["ts"]


async def test_bot_posts_and_edits_are_ignored(world: World) -> None:
    for name in ("event_bot_message", "event_message_changed", "event_channel_join"):
        assert (await world.event(payload(name))).status_code == 200
    assert world.slack.posts() == []
    assert await world.store.tickets.list_tickets(active_only=False) == []


async def test_a_quick_follow_up_never_overtakes_its_question() -> None:
    understander = GatedUnderstander()
    w = await make_world(understander)
    try:
        question = payload("event_message")
        question["event"]["text"] = "my app dies with exit code 137"
        follow = thread_reply(ANA, "hello? anyone?", question["event"]["ts"], "C0HELPDESK", "Ev07QUICK")
        for envelope in (question, follow):
            body = json.dumps(envelope).encode()
            headers = {"Content-Type": "application/json", **signature_headers(body)}
            assert (await w.http.post("/slack/events", content=body, headers=headers)).status_code == 200
        understander.gate.set()
        await w.settle()
        first, second = w.slack.posts()
        assert "App killed with exit code 137" in shown(first)
        assert "Hi!" in second["text"]  # the greeting, answered after the question
    finally:
        understander.gate.set()
        await w.close()


async def test_a_huge_message_is_answered_and_kept_whole(world: World) -> None:
    envelope = payload("event_message")
    envelope["event"]["text"] = "exit code 137 " + "and more detail " * 2500
    await world.event(envelope)
    texts = [p["text"] for p in world.slack.posts()]
    assert any("read only its first" in text for text in texts)
    assert all(len(p["text"]) <= 3000 for p in world.slack.posts())
