"""The Discord bot against a fake Discord: real discord.py, real gateway parsing, a local REST API."""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import discord
import pytest
import pytest_asyncio

from bots.bootstrap import compose_system
from bots.discord.app import DiscordNotifier, DiscordOptions, HelplineBot, create_bot
from config.intents import load_intents
from config.settings import DEFAULT_INTENTS_FILE, DEFAULT_TIERS_FILE, Settings
from config.tiers import load_tiers
from core.clock import ManualClock
from core.desk.context import MessageUnderstander, Moderators
from core.desk.pipeline import SupportDesk
from core.messages import DISCORD
from core.notify import RoutingNotifier
from core.sla.worker import EscalationWorker
from core.stores import Stores
from core.tickets.records import TicketStatus
from core.tiers import TierDirectory, TierRule
from core.understanding.understander import Understanding
from tests.adapters.discord_fake import (
    ANA,
    BOT,
    ENTERPRISE_ROLE,
    FORUM,
    GENERAL,
    GUILD,
    HELP,
    MO,
    MODERATOR_ROLE,
    ON_CALL_ROLE,
    STAFF,
    FakeDiscord,
    payload,
)
from tests.desk_fakes import RULES, START, KeywordUnderstander
from tests.fakes import memory_stores

pytestmark = pytest.mark.asyncio
NO_PINGS: dict[str, Any] = {"parse": []}  # AllowedMentions.none(): no one, no role, no @everyone


@dataclasses.dataclass
class World:
    """A desk on fakes, a Discord bot on it, and the fake Discord around the bot."""

    discord: FakeDiscord
    bot: HelplineBot
    store: Stores
    clock: ManualClock
    worker: EscalationWorker
    desk: SupportDesk
    notifier: DiscordNotifier


def _tiers() -> TierDirectory:
    shipped = load_tiers(DEFAULT_TIERS_FILE)
    # Enterprise escalations go to the staff channel ("discord" alone means discord.staff_channel).
    tiers = [
        dataclasses.replace(t, escalation_target="discord") if t.name == "enterprise" else t for t in shipped.tiers
    ]
    rules = [TierRule("enterprise", platform=DISCORD, workspace=str(GUILD), role="Enterprise")]
    return TierDirectory(tiers, rules)


def _options(**changes: Any) -> DiscordOptions:
    base = DiscordOptions(
        support_channels=frozenset({HELP, FORUM}),
        staff_channel=STAFF,
        on_call_role=ON_CALL_ROLE,
        command_guilds=(GUILD,),
    )
    return dataclasses.replace(base, **changes)


async def _world(store: Stores | None = None, **changes: Any) -> World:
    catalog = load_intents(DEFAULT_INTENTS_FILE)
    tiers = _tiers()
    store = store or memory_stores()
    clock = ManualClock(START)
    notifier = DiscordNotifier()
    system = compose_system(
        Settings(),
        understander=KeywordUnderstander(catalog, RULES),
        catalog=catalog,
        tiers=tiers,
        stores=store,
        notifier=RoutingNotifier({DISCORD: notifier}),
        clock=clock,
        moderators=Moderators(frozenset({"moderator"})),
    )
    desk, worker = system.desk, system.worker
    bot = create_bot(desk, _options(**changes))
    notifier.bot = bot
    fake = FakeDiscord(bot)
    await fake.start()
    return World(fake, bot, store, clock, worker, desk, notifier)


@pytest_asyncio.fixture
async def world() -> AsyncIterator[World]:
    w = await _world()
    yield w
    await w.discord.close()


def _buttons(body: dict[str, Any]) -> list[tuple[str, str]]:
    return [(b["label"], b["custom_id"]) for row in body.get("components", []) for b in row["components"]]


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
    assert _buttons(answer) == [
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
    assert ack["content"] == "Ticket #1, low: someone from the support team will reply within 1 week."
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


async def test_an_enterprise_members_outage_is_a_critical_ticket(world: World) -> None:
    question = await world.discord.message("our production site is down", roles=(ENTERPRISE_ROLE,))
    ticket = await world.store.tickets.get(1)
    assert ticket is not None
    assert (ticket.tier, str(ticket.priority)) == ("enterprise", "critical")
    [ack] = world.discord.api.sent(question)
    assert "critical" in ack["content"] and "2 hours" in ack["content"]


async def test_moderator_claims_by_slash_command_and_a_member_is_refused(world: World) -> None:
    await world.discord.message("the site is down")
    await world.discord.slash("ticket", "claim", {"number": 1}, user=ANA, roles=())
    await world.discord.slash("ticket", "claim", {"number": 1}, roles=(MODERATOR_ROLE,))
    refusal, claimed = world.discord.api.followups()
    assert "Only moderators" in refusal["content"]
    assert "claimed ticket" in claimed["content"]
    assert all(d["data"]["flags"] == 64 for d in world.discord.api.deferrals())  # both answered ephemerally
    assert all(f["flags"] == 64 for f in world.discord.api.followups())
    ticket = await world.store.tickets.get(1)
    assert ticket is not None and ticket.assignee == f"discord:{MO}"


async def test_an_escalation_posts_once_and_pings_only_the_on_call_role(world: World) -> None:
    question = await world.discord.message("@everyone our production site is down", roles=(ENTERPRISE_ROLE,))
    world.clock.advance(timedelta(hours=2, minutes=1))
    await world.worker.run_once()
    await world.worker.run_once()  # a second pass must not post again
    # The staff channel also gets the SLA warning (at 75%) and the critical status reminders now.
    [notice] = [m for m in world.discord.api.sent(STAFF) if "Escalation" in m["content"]]
    assert notice["content"].startswith(f"<@&{ON_CALL_ROLE}> Escalation (level 1, L1 first contact): ticket #1")
    assert notice["allowed_mentions"] == {"parse": [], "roles": [ON_CALL_ROLE]}
    assert f"https://discord.com/channels/{GUILD}/{question}" in notice["content"]
    assert "@everyone" not in notice["content"].replace("@\u200beveryone", "")  # quoted, never live
    # Changed with the SLA engine: escalations also carry an Acknowledge button, which stops the chain.
    assert _buttons(notice) == [("Claim #1", "helpline:claim:1"), ("Acknowledge #1", "helpline:ack:1")]
    await world.discord.press("helpline:claim:1", channel=STAFF, user=MO, roles=(MODERATOR_ROLE,))
    ticket = await world.store.tickets.get(1)
    assert ticket is not None and ticket.assignee == f"discord:{MO}"


async def test_user_text_with_mass_mentions_pings_nobody(world: World) -> None:
    await world.discord.message("@everyone @here <@&900000000000000202> my app crashes on start")
    await world.discord.slash("ticket", "show", {"number": 1}, roles=(MODERATOR_ROLE,))
    [shown] = world.discord.api.followups()
    assert "everyone" in shown["content"]
    assert "@everyone" not in shown["content"] and "@here" not in shown["content"]
    assert "<@&900000000000000202>" not in shown["content"]
    everything = world.discord.api.sent() + world.discord.api.followups()
    assert everything and all(body["allowed_mentions"] == NO_PINGS for body in everything)


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
    first = await _world()
    question = await first.discord.message("my app keeps dying with exit code 137")
    [answer] = first.discord.api.sent(question)
    await first.discord.close()
    second = await _world(store=first.store)  # a new process: no view in memory, same database
    try:
        await second.discord.press("helpline:human", channel=question, on=answer)
        [ack] = second.discord.api.followups()
        assert "#1" in ack["content"]
    finally:
        await second.discord.close()


async def test_without_the_message_content_intent_only_mentions_are_answered() -> None:
    w = await _world(message_content=False)
    try:
        await w.discord.message("")  # what Discord sends for an unmentioned message without the intent
        assert w.discord.api.sent() == []
        mention = await w.discord.message(f"<@{BOT}> the site is down", mentions_bot=True)
        assert "Ticket" in w.discord.api.sent(mention)[0]["content"]
    finally:
        await w.discord.close()


async def test_slash_commands_are_published(world: World) -> None:
    [sync] = [c for c in world.discord.api.calls if c.method == "PUT"]
    assert sync.path == f"/applications/{BOT}/guilds/{GUILD}/commands"
    names = {c["name"]: [o["name"] for o in c.get("options", [])] for c in sync.body}
    assert names["ticket"] == ["list", "show", "claim", "reply", "note", "priority", "escalate", "resolve", "reopen"]
    assert names["kb"] == ["search", "add"] and "stats" in names
    ticket = next(c for c in sync.body if c["name"] == "ticket")
    claim = next(o for o in ticket["options"] if o["name"] == "claim")
    assert claim["options"] == [
        {
            "type": 4,
            "name": "number",
            "description": "The ticket number, e.g. 12",
            "required": True,
            "min_value": 1,
            "max_value": 2**31 - 1,
        }
    ]
    assert all(c["default_member_permissions"] == 1 << 13 for c in sync.body)  # Manage Messages


async def test_a_member_opening_many_tickets_quickly_gets_a_polite_notice(world: World) -> None:
    threads = [await world.discord.message(f"the site is down, attempt {n}") for n in range(4)]
    assert [t.number for t in await world.store.tickets.list_tickets()] == [1, 2, 3]
    [notice] = world.discord.api.sent(threads[-1])
    assert notice["content"].startswith("You have opened 3 tickets in the last 10 minutes")
    assert _buttons(notice) == [("Open a ticket", "helpline:open_ticket")]


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


async def test_a_staff_reply_by_slash_command_reaches_the_customers_thread(world: World) -> None:
    question = await world.discord.message("the site is down")
    await world.discord.slash(
        "ticket", "reply", {"number": 1, "text": "Fixed, *please* retry"}, roles=(MODERATOR_ROLE,)
    )
    posted = world.discord.api.sent(question)[-1]
    assert posted["content"] == "Mo (support) on ticket #1: Fixed, \\*please\\* retry"
    [confirmation] = world.discord.api.followups()
    assert "Sent to the customer on ticket #1" in confirmation["content"]
    ticket = await world.store.tickets.get(1)
    assert ticket is not None and ticket.first_response_at == START


async def test_a_long_slash_command_answer_stays_private_in_every_piece(world: World) -> None:
    for n in range(3):
        await world.discord.message(f"the site is down {n} " + "details " * 30)
    for n in range(12):
        await world.discord.slash(
            "ticket", "note", {"number": 1, "text": f"note {n} " + "z" * 180}, roles=(MODERATOR_ROLE,)
        )
    before = len(world.discord.api.followups())
    await world.discord.slash("ticket", "show", {"number": 1}, roles=(MODERATOR_ROLE,))
    pieces = world.discord.api.followups()[before:]
    assert len(pieces) > 1 and all(len(p["content"]) <= 2000 for p in pieces)
    assert all(p["flags"] == 64 for p in pieces)


async def test_an_auto_sharded_bot_answers_like_the_single_connection_one() -> None:
    w = await _world(auto_shard=True)
    try:
        assert isinstance(w.bot, discord.AutoShardedClient) and w.bot.shard_count is None  # Discord decides
        question = await w.discord.message("my app keeps dying with exit code 137")
        [answer] = w.discord.api.sent(question)
        assert answer["embeds"][0]["title"] == "App killed with exit code 137"
    finally:
        await w.discord.close()
