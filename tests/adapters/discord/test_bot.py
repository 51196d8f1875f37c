"""The Discord bot against a fake Discord: real discord.py, real gateway parsing, a local REST API."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import discord
import pytest
import pytest_asyncio

from core.desk.context import MessageUnderstander
from core.tickets.records import TicketStatus
from core.understanding.understander import Understanding
from tests.adapters.discord_fake import (
    ANA,
    BOT,
    ENTERPRISE_ROLE,
    FORUM,
    GENERAL,
    HELP,
    MO,
    MODERATOR_ROLE,
    payload,
)
from tests.adapters.discord_world import NO_PINGS, World, buttons, make_world
from tests.deflections import helpful_answers
from tests.desk_fakes import START

pytestmark = pytest.mark.asyncio


@pytest_asyncio.fixture
async def world() -> AsyncIterator[World]:
    w = await make_world()
    yield w
    await w.discord.close()


async def test_question_in_help_channel_gets_a_thread_with_an_answer(world: World) -> None:
    question = await world.discord.message("my app keeps dying with exit code 137")
    thread_calls = [c for c in world.discord.api.calls if c.path.endswith("/threads")]
    assert [c.path for c in thread_calls] == [f"/channels/{HELP}/messages/{question}/threads"]
    assert thread_calls[0].body["name"] == "my app keeps dying with exit code 137"
    [answer] = world.discord.api.sent(question)  # the thread has the question's id
    [embed] = answer["embeds"]
    assert embed["title"] == "App killed with exit code 137"
    assert embed["url"] == "https://docs.example.com/oom"
    assert "ran out of memory" in embed["description"]
    assert buttons(answer) == [
        ("Helpful", "helpline:helpful"),
        ("Not helpful", "helpline:not_helpful"),
        ("Talk to a human", "helpline:human"),
    ]
    assert answer["allowed_mentions"] == NO_PINGS
    assert world.discord.api.sent(HELP) == []  # nothing said in the channel itself


async def test_not_helpful_opens_a_ticket_in_the_thread(world: World) -> None:
    question = await world.discord.message("my app keeps dying with exit code 137")
    await world.discord.press("helpline:not_helpful", channel=question)
    [deferral] = world.discord.api.deferrals()
    assert deferral["type"] == 5 and not deferral.get("data", {}).get("flags")  # public: the thread sees it
    [ack] = world.discord.api.followups()
    said = "Marked not helpful. Ticket #1, low: someone from the support team will reply within 1 week."
    assert ack["content"] == said
    ticket = await world.store.tickets.get(1)
    assert ticket is not None and ticket.requester_id == str(ANA)
    assert ticket.address.thread == str(question)


async def test_follow_ups_in_the_thread_join_the_ticket_and_staff_replies_count(world: World) -> None:
    question = await world.discord.message("the site is down for everyone")
    ticket = await world.store.tickets.get(1)
    assert ticket is not None and ticket.first_response_at is None
    await world.discord.message("still down, any news?", channel=question)
    assert "Added to ticket #1" in world.discord.api.sent(question)[-1]["content"].replace("\\", "")
    sent_before = len(world.discord.api.sent())
    await world.discord.message("Looking into it now.", channel=question, author=MO, roles=(MODERATOR_ROLE,))
    answered = await world.store.tickets.get(1)
    assert answered is not None and answered.first_response_at == START
    assert answered.status is TicketStatus.WAITING
    assert len(world.discord.api.sent()) == sent_before  # the bot does not answer the staff member


async def test_a_screenshot_alone_in_the_tickets_thread_is_kept_on_the_ticket_with_its_link(world: World) -> None:
    question = await world.discord.message("the site is down for everyone")
    attachments = payload("message_create_attachments")["attachments"][:1]
    await world.discord.message("", channel=question, attachments=attachments)
    assert "Added to ticket #1" in world.discord.api.sent(question)[-1]["content"].replace("\\", "")
    last = (await world.store.conversations.messages(1))[-1]
    assert [(f.name, f.url, f.media_type, f.size) for f in last.files] == [
        ("boot-crash.png", attachments[0]["url"], "image/png", 48213)
    ]


async def test_an_enterprise_members_outage_is_a_critical_ticket(world: World) -> None:
    question = await world.discord.message("our production site is down", roles=(ENTERPRISE_ROLE,))
    ticket = await world.store.tickets.get(1)
    assert ticket is not None
    assert (ticket.tier, str(ticket.priority)) == ("enterprise", "critical")
    [ack] = world.discord.api.sent(question)
    assert "critical" in ack["content"] and "2 hours" in ack["content"]


async def test_the_bot_ignores_itself_and_other_bots(world: World) -> None:
    await world.discord.message("the site is down", author=BOT)
    await world.discord.message("the site is down", author=123456, bot_author=True)
    assert world.discord.api.sent() == [] and await world.store.tickets.get(1) is None


async def test_a_message_delivered_twice_is_answered_once(world: World) -> None:
    question = await world.discord.message("my app keeps dying with exit code 137")
    await world.discord.message("my app keeps dying with exit code 137", message_id=question)  # replayed
    assert len(world.discord.api.sent(question)) == 1
    assert len([c for c in world.discord.api.calls if c.path.endswith("/threads")]) == 1


async def test_messages_elsewhere_are_left_alone_but_a_mention_is_answered(world: World) -> None:
    await world.discord.message("my app keeps dying with exit code 137", channel=GENERAL)
    assert world.discord.api.sent() == [] and not [c for c in world.discord.api.calls if c.path.endswith("/threads")]
    mention = await world.discord.message(
        f"<@{BOT}> my app keeps dying with exit code 137", channel=GENERAL, mentions_bot=True
    )
    [answer] = world.discord.api.sent(mention)
    assert answer["embeds"][0]["title"] == "App killed with exit code 137"


async def test_a_forum_post_is_answered_in_its_own_thread(world: World) -> None:
    post = payload("thread_create")
    post.update(id="970000000000000001", parent_id=str(FORUM), owner_id=str(ANA), name="Exit code 137?")
    world.discord.event("THREAD_CREATE", post)
    await world.discord.message("my app keeps dying with exit code 137", channel=970000000000000001)
    assert len(world.discord.api.sent(970000000000000001)) == 1
    assert not [c for c in world.discord.api.calls if c.path.endswith("/threads")]


async def test_without_thread_permission_the_answer_goes_to_the_channel(world: World) -> None:
    world.discord.api.fail_threads = True
    await world.discord.message("my app keeps dying with exit code 137")
    [answer] = world.discord.api.sent(HELP)
    assert answer["embeds"][0]["title"] == "App killed with exit code 137"


async def test_buttons_still_work_after_a_restart() -> None:
    first = await make_world()
    question = await first.discord.message("my app keeps dying with exit code 137")
    [answer] = first.discord.api.sent(question)
    await first.discord.close()
    second = await make_world(store=first.store)  # a new process: no view in memory, same database
    try:
        await second.discord.press("helpline:human", channel=question, on=answer)
        [ack] = second.discord.api.followups()
        assert "#1" in ack["content"]
    finally:
        await second.discord.close()


async def test_without_the_message_content_intent_only_mentions_are_answered() -> None:
    w = await make_world(message_content=False)
    try:
        await w.discord.message("")  # what Discord sends for an unmentioned message without the intent
        assert w.discord.api.sent() == []
        mention = await w.discord.message(f"<@{BOT}> the site is down", mentions_bot=True)
        assert "Ticket" in w.discord.api.sent(mention)[0]["content"]
    finally:
        await w.discord.close()


async def test_a_member_opening_many_tickets_quickly_gets_a_polite_notice(world: World) -> None:
    threads = [await world.discord.message(f"the site is down, attempt {n}") for n in range(4)]
    assert [t.number for t in await world.store.tickets.list_tickets()] == [1, 2, 3]
    [notice] = world.discord.api.sent(threads[-1])
    assert notice["content"].startswith("You have opened 3 tickets in the last 10 minutes")
    assert buttons(notice) == [("Open a ticket", "helpline:open_ticket")]


class SlowUnderstander:
    """A model that takes half a second per message, as a big one on a busy machine might."""

    def __init__(self, inner: MessageUnderstander) -> None:
        self._inner = inner

    def understand(self, raw: str | bytes) -> Understanding:
        """Block this thread, then understand."""
        time.sleep(0.5)
        return self._inner.understand(raw)


async def test_a_slow_model_never_holds_up_the_event_loop(world: World) -> None:
    world.desk.desk.understander = SlowUnderstander(world.desk.desk.understander)
    loop = asyncio.get_running_loop()
    gaps: list[float] = []

    async def heartbeat() -> None:  # stands in for the gateway heartbeat, which must keep beating
        last = loop.time()
        while True:
            await asyncio.sleep(0.01)
            gaps.append(loop.time() - last)
            last = loop.time()

    beating = asyncio.create_task(heartbeat())
    question = await world.discord.message("my app keeps dying with exit code 137")
    beating.cancel()
    assert len(world.discord.api.sent(question)) == 1
    assert len(gaps) > 20 and max(gaps) < 0.25  # the 0.5 s of inference ran off the loop


async def test_an_auto_sharded_bot_answers_like_the_single_connection_one() -> None:
    w = await make_world(auto_shard=True)
    try:
        assert isinstance(w.bot, discord.AutoShardedClient) and w.bot.shard_count is None  # Discord decides
        question = await w.discord.message("my app keeps dying with exit code 137")
        [answer] = w.discord.api.sent(question)
        assert answer["embeds"][0]["title"] == "App killed with exit code 137"
    finally:
        await w.discord.close()


async def test_a_choice_takes_the_buttons_off_its_message_and_counts_once(world: World) -> None:
    question = await world.discord.message("my app keeps dying with exit code 137")
    await world.discord.press("helpline:helpful", channel=question)
    pressed = int(payload("interaction_component")["message"]["id"])  # the message the fake's press is under
    [edit] = world.discord.api.edits(pressed)
    assert edit["components"] == []  # no second vote from the same buttons
    [thanks] = world.discord.api.followups()
    assert thanks["content"] == "Marked helpful — thanks, glad that helped!"
    assert await helpful_answers(world.store, world.clock.now()) == 1


async def test_a_choice_that_offers_another_keeps_the_buttons(world: World) -> None:
    question = await world.discord.message("what's the weather like?")  # out of scope: Open a ticket
    for n in range(3):
        await world.discord.message(f"the site is down, attempt {n}")  # the member's ticket limit is reached
    await world.discord.press("helpline:open_ticket", channel=question)
    [refusal] = world.discord.api.followups()
    assert buttons(refusal) == [("Open a ticket", "helpline:open_ticket")]
    assert world.discord.api.edits() == []  # the refusal offers the choice again, so it stays


async def test_a_forum_post_asks_before_a_different_problem_joins_its_ticket(world: World) -> None:
    post = payload("thread_create")
    post.update(id="970000000000000002", parent_id=str(FORUM), owner_id=str(ANA), name="Site down")
    world.discord.event("THREAD_CREATE", post)
    thread = 970000000000000002
    await world.discord.message("the site is down", channel=thread)
    await world.discord.message("my invoice is wrong", channel=thread)
    asked = world.discord.api.sent(thread)[-1]
    assert "Is this about the same problem, or a new question?" in asked["content"]
    assert buttons(asked) == [
        ("Add to ticket #1", "helpline:add_to_ticket:1"),
        ("New question", "helpline:new_question"),
    ]
    await world.discord.press("helpline:add_to_ticket:1", channel=thread)
    [added] = world.discord.api.followups()
    assert added["content"] == "Added to ticket #1."
    assert [m.text for m in await world.store.conversations.messages(1)][-1] == "my invoice is wrong"
    assert [edit["components"] for edit in world.discord.api.edits()] == [[]]  # the choice is made once
