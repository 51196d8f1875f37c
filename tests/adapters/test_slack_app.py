"""The Slack bot end to end: signed requests into the real bolt app, its Web API calls into a fake Slack."""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
import pytest_asyncio

from config.intents import load_intents
from config.settings import DEFAULT_INTENTS_FILE
from core.messages import SLACK
from core.tickets import TicketStatus
from core.understanding import Understanding
from tests.adapters.slack_fake import BOT_USER, payload, signature_headers
from tests.adapters.slack_world import (
    ACME,
    ANA,
    ENTERPRISE_CHANNEL,
    ESCALATION_CHANNEL,
    GOLD_CHANNEL,
    STAFF,
    STAFF_GROUP,
    World,
    buttons,
    make_world,
    shown,
)
from tests.desk_fakes import RULES, KeywordUnderstander

pytestmark = pytest.mark.asyncio


@pytest_asyncio.fixture
async def world() -> AsyncIterator[World]:
    w = await make_world()
    yield w
    await w.close()


def connect_message(text: str, event_id: str = "Ev07CONNECT01") -> dict[str, Any]:
    """A Slack Connect customer (workspace T0ACME) writing in the shared support channel."""
    envelope = payload("event_connect_message")
    envelope["event"]["text"] = text
    envelope["event_id"] = event_id
    return envelope


def thread_reply(user: str, text: str, thread_ts: str, channel: str, event_id: str) -> dict[str, Any]:
    """A reply in a thread, by ``user``."""
    envelope = payload("event_thread_reply")
    envelope["event"] |= {"user": user, "text": text, "thread_ts": thread_ts, "channel": channel}
    envelope["event"]["ts"] = f"{float(thread_ts) + 30:.6f}"
    envelope["event_id"] = event_id
    return envelope


def slash(user: str, text: str, world: World, trigger: str = "7312345678904.1") -> dict[str, str]:
    """``/helpline text`` from ``user``, answered at the fake's response URL."""
    form = payload("slash_command")
    form |= {"user_id": user, "user_name": user.lower(), "text": text, "trigger_id": trigger}
    form["response_url"] = f"{world.slack.url}/hooks/commands/T0VENDOR/{trigger}"
    return {key: str(value) for key, value in form.items()}


async def outage(world: World, text: str = "Our whole API is down, every request fails") -> str:
    """A Slack Connect customer reports an outage; the thread's ts."""
    envelope = connect_message(text)
    assert (await world.event(envelope)).status_code == 200
    return str(envelope["event"]["ts"])


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
    ticket = await world.store.get(1)
    assert ticket is not None and ticket.requester_id == ANA and ticket.tier == "community"
    assert "answer_not_helpful" in [e.kind for e in await world.store.events(1)]


async def test_enterprise_outage_is_critical_and_escalates_to_the_tier_channel_when_the_sla_runs_out(
    world: World,
) -> None:
    thread = await outage(world)
    [ack] = world.slack.posts("C0ACMESHARED")
    assert ack["thread_ts"] == thread and "Ticket #1, critical" in ack["text"]
    ticket = await world.store.get(1)
    assert ticket is not None and ticket.tier == "enterprise" and ticket.customer == "acme"
    assert ticket.requester_id == "U0ACMEBOB" and ticket.requester_name == "Bob Stone"
    world.clock.advance(timedelta(hours=1, minutes=59))
    assert await world.worker.run_once() == []
    world.clock.advance(timedelta(minutes=2))
    [escalation] = await world.worker.run_once()
    assert escalation.target == f"slack:{ENTERPRISE_CHANNEL}"
    [notice] = world.slack.posts(ENTERPRISE_CHANNEL)
    text = shown(notice)
    assert notice["text"].startswith(
        f"<!subteam^{STAFF_GROUP}> Escalation: ticket #1 (Enterprise, critical) from Bob Stone missed"
    )
    assert f"https://vendor.slack.com/archives/C0ACMESHARED/p{thread.replace('.', '')}" in text
    assert buttons(notice) == ["helpline:claim:1"]
    assert "thread_ts" not in notice or notice["thread_ts"] is None
    [link] = world.slack.method_calls("chat.getPermalink")
    assert link.args == {"channel": "C0ACMESHARED", "message_ts": thread}


async def test_the_same_event_three_times_gives_one_ticket_and_one_reply(world: World) -> None:
    envelope = connect_message("the dashboard is down for everyone")
    responses = [await world.event(envelope), await world.event(envelope, retry=1), await world.event(envelope, 2)]
    assert [r.status_code for r in responses] == [200, 200, 200]
    assert len(world.slack.posts()) == 1
    assert len(await world.store.list_tickets()) == 1
    # Claimed durably under its event_id, so a restarted bot on the same database skips it too.
    assert not await world.store.claim_delivery(SLACK, "event:Ev07CONNECT01", world.clock.now())


async def test_unsigned_tampered_and_stale_requests_get_401_and_change_nothing(world: World) -> None:
    body = json.dumps(connect_message("the dashboard is down for everyone")).encode()
    signed = signature_headers(body)
    tampered = body.replace(b"dashboard", b"dashbeard")
    attempts = [
        (body, {}),  # unsigned
        (tampered, signed),
        (body, signature_headers(body, at=time.time() - 6 * 60)),  # older than five minutes
        (body, signature_headers(body, secret="not-the-secret")),
        (body, {**signed, "X-Slack-Signature": signed["X-Slack-Signature"][:-1] + "0"}),
    ]
    for sent, headers in attempts:
        response = await world.post(sent, "application/json", headers)
        assert response.status_code == 401
    assert world.slack.posts() == []
    assert await world.store.list_tickets(active_only=False) == []
    assert await world.store.claim_delivery(SLACK, "event:Ev07CONNECT01", world.clock.now())  # never claimed


async def test_claim_by_staff_works_and_by_a_customer_is_refused(world: World) -> None:
    await outage(world)
    await world.command(slash(ANA, "claim 1", world, trigger="1.customer"))
    [refusal] = world.slack.responses()
    assert refusal["response_type"] == "ephemeral" and "Only moderators" in refusal["text"]
    ticket = await world.store.get(1)
    assert ticket is not None and ticket.assignee is None
    await world.command(slash(STAFF, "claim 1", world, trigger="2.staff"))
    claimed = world.slack.responses()[-1]
    assert claimed["response_type"] == "ephemeral" and "You claimed ticket #1" in claimed["text"]
    ticket = await world.store.get(1)
    assert ticket is not None and ticket.assignee == f"slack:{STAFF}"
    assert [c.args["usergroup"] for c in world.slack.method_calls("usergroups.users.list")] == [STAFF_GROUP]


async def test_the_claim_button_on_an_escalation_claims_for_staff(world: World) -> None:
    await outage(world)
    world.clock.advance(timedelta(hours=3))
    await world.worker.run_once()
    [notice] = world.slack.posts(ENTERPRISE_CHANNEL)
    press = payload("block_actions")
    press["user"] |= {"id": STAFF}
    press["container"] |= {"channel_id": ENTERPRISE_CHANNEL, "message_ts": "1732351002.000002"}
    del press["container"]["thread_ts"], press["message"]["thread_ts"]
    press["actions"][0] |= {"action_id": "helpline:claim:1", "value": "claim:1"}
    press["response_url"] = f"{world.slack.url}/hooks/actions/T0VENDOR/2"
    await world.interaction(press)
    [answer] = world.slack.responses()
    assert answer["response_type"] == "ephemeral" and "You claimed ticket #1" in answer["text"]
    ticket = await world.store.get(1)
    assert notice and ticket is not None and ticket.assignee == f"slack:{STAFF}"
    # The others see who took it, in the escalation's thread; pressing again announces nothing new.
    [_, claimed] = world.slack.posts(ENTERPRISE_CHANNEL)
    assert claimed["thread_ts"] == "1732351002.000002" and claimed["text"] == "Mo claimed ticket #1."
    press["actions"][0]["action_ts"] = "1732350099.000001"
    await world.interaction(press)
    assert len(world.slack.posts(ENTERPRISE_CHANNEL)) == 2
    assert "You already have ticket #1" in world.slack.responses()[-1]["text"]


async def test_a_staff_reply_in_the_thread_is_the_first_response(world: World) -> None:
    thread = await outage(world)
    posts = len(world.slack.posts())
    reply = thread_reply(STAFF, "Looking at it now, hang on.", thread, "C0ACMESHARED", "Ev07STAFFREPLY")
    reply["event"] |= {"team": "T0VENDOR", "user_team": "T0VENDOR"}
    await world.event(reply)
    ticket = await world.store.get(1)
    assert ticket is not None and ticket.first_response_at == world.clock.now()
    assert ticket.status is TicketStatus.WAITING
    kept = [(m.author_name, m.role.value, m.text) for m in await world.store.messages(1)]
    assert ("Mo", "agent", "Looking at it now, hang on.") in kept
    assert len(world.slack.posts()) == posts  # the bot stays out of a human's reply
    world.clock.advance(timedelta(hours=3))
    assert await world.worker.run_once() == []  # answered in time: no escalation


async def test_a_customer_follow_up_joins_the_ticket_in_its_thread(world: World) -> None:
    thread = await outage(world)
    follow = thread_reply("U0ACMEBOB", "still failing", thread, "C0ACMESHARED", "Ev07FOLLOWUP")
    follow["event"] |= {"team": ACME, "user_team": ACME}
    await world.event(follow)
    added = world.slack.posts()[-1]
    assert added["thread_ts"] == thread and "Added to ticket #1" in added["text"]


async def test_a_channel_mention_in_a_message_is_echoed_harmlessly(world: World) -> None:
    await outage(world, "<!channel> <!here> <@U0CEO> our API is down &amp; <https://evil.example|click>")
    world.clock.advance(timedelta(hours=3))
    await world.worker.run_once()
    await world.command(slash(STAFF, "ticket 1", world))
    everything = [shown(m) for m in world.slack.posts()] + [shown(r) for r in world.slack.responses()]
    assert any("&lt;!channel&gt;" in text for text in everything)  # the subject is shown, literally
    for text in everything:
        assert "<!channel>" not in text and "<!here>" not in text and "<@U0CEO>" not in text
        assert "<https://evil.example|click>" not in text
        assert text.count("<!") == text.count(f"<!subteam^{STAFF_GROUP}>")


async def test_a_429_is_waited_out_for_its_retry_after_and_the_message_still_goes_out(world: World) -> None:
    world.slack.rate_limit("chat.postMessage", 1)
    envelope = payload("event_app_mention")
    envelope["event"]["text"] = f"<@{BOT_USER}> my app keeps dying with exit code 137"
    await world.event(envelope)
    first, second = world.slack.method_calls("chat.postMessage")
    assert second.at - first.at >= 1.0  # Retry-After: 1
    assert first.args == second.args
    [answer] = world.slack.posts()[1:]
    assert answer["thread_ts"] == envelope["event"]["ts"]


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
    assert await world.store.list_tickets(active_only=False) == []


class GatedUnderstander:
    """The keyword understander, held until the test opens the gate (a slow model)."""

    def __init__(self) -> None:
        self.gate = threading.Event()
        self._inner = KeywordUnderstander(load_intents(DEFAULT_INTENTS_FILE), RULES)

    def understand(self, raw: str | bytes) -> Understanding:
        assert self.gate.wait(10), "the test never opened the gate"
        return self._inner.understand(raw)


async def test_slack_gets_its_ack_before_the_slow_work_runs() -> None:
    understander = GatedUnderstander()
    w = await make_world(understander)
    try:
        body = json.dumps(connect_message("the API is down")).encode()
        response = await w.http.post(
            "/slack/events", content=body, headers={"Content-Type": "application/json", **signature_headers(body)}
        )
        assert response.status_code == 200  # answered while the model is still "thinking"
        assert w.slack.posts() == []
        understander.gate.set()
        await w.settle()
        assert "Ticket #1" in w.slack.posts()[0]["text"]
    finally:
        understander.gate.set()
        await w.close()


async def test_messages_to_one_channel_are_paced() -> None:
    w = await make_world(pace_seconds=0.3)
    try:
        for number in range(3):
            envelope = payload("event_app_mention")
            envelope["event"] |= {"text": f"<@{BOT_USER}> exit code 137", "ts": f"1732350120.00030{number}"}
            envelope["event_id"] = f"Ev07PACED{number}"
            await w.event(envelope)
        times = [c.at for c in w.slack.method_calls("chat.postMessage")]
        assert len(times) == 3
        assert all(later - earlier >= 0.29 for earlier, later in itertools.pairwise(times))
    finally:
        await w.close()


async def test_a_staff_reply_command_reaches_the_customer_thread_and_counts_as_the_response(world: World) -> None:
    thread = await outage(world)
    await world.command(slash(STAFF, "reply 1 Fixed at 10:02 <!here>, sorry & thanks", world))
    notice = world.slack.posts("C0ACMESHARED")[-1]
    assert notice["thread_ts"] == thread
    assert notice["text"] == "Mo (support) on ticket #1: Fixed at 10:02 &lt;!here&gt;, sorry &amp; thanks"
    [sent] = world.slack.responses()
    assert sent["response_type"] == "ephemeral" and "Sent to the customer on ticket #1" in sent["text"]
    ticket = await world.store.get(1)
    assert ticket is not None and ticket.first_response_at == world.clock.now()


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


async def test_malformed_bodies_are_refused_without_a_crash(world: World) -> None:
    garbage = [
        (b"not json", "application/json", {}),  # unsigned
        (b"\xff\xfe binary", "application/json", {"X-Slack-Request-Timestamp": "soon", "X-Slack-Signature": "v0=1"}),
    ]
    for body, content_type, headers in garbage:
        assert (await world.post(body, content_type, headers)).status_code == 401
    signed_garbage = b"not json"
    assert (await world.post(signed_garbage, "application/json", signature_headers(signed_garbage))).status_code == 400
    binary = b"\xff\xfe"  # not UTF-8, so no signature over it can be checked
    assert (await world.post(binary, "application/json", signature_headers(binary))).status_code == 401
    odd = [
        {"type": "event_callback", "event": {"type": "message"}},
        {"type": "event_callback", "event_id": "Ev1", "event": {"type": "message", "text": ["x"], "user": "U1"}},
    ]
    for envelope in odd:
        assert (await world.event(envelope)).status_code in (200, 404)
    assert world.slack.posts() == [] and await world.store.list_tickets(active_only=False) == []


async def test_a_huge_message_is_answered_and_kept_whole(world: World) -> None:
    envelope = payload("event_message")
    envelope["event"]["text"] = "exit code 137 " + "and more detail " * 2500
    await world.event(envelope)
    texts = [p["text"] for p in world.slack.posts()]
    assert any("read only its first" in text for text in texts)
    assert all(len(p["text"]) <= 3000 for p in world.slack.posts())


async def test_a_shared_channel_mapped_to_white_glove_escalates_to_the_configured_escalation_channel(
    world: World,
) -> None:
    envelope = connect_message("checkout is down for all our users", event_id="Ev07GOLD")
    envelope["event"] |= {"channel": GOLD_CHANNEL, "team": "T0GOLD", "user_team": "T0GOLD", "user": "U0GOLDAMY"}
    await world.event(envelope)
    ticket = await world.store.get(1)
    assert ticket is not None and ticket.tier == "white-glove" and ticket.customer == "gold"
    world.clock.advance(timedelta(hours=1, minutes=1))  # white-glove critical: first response within 1 hour
    [escalation] = await world.worker.run_once()
    assert escalation.target == "slack"  # plain "slack": slack.escalation_channel
    [notice] = world.slack.posts(ESCALATION_CHANNEL)
    assert "ticket #1 (White-glove, critical)" in notice["text"]
