"""Moving tickets: ``assign N WHO`` and ``tier N TIER`` on the desk, and the same through the console."""

from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest

from bots.bootstrap import compose_system
from bots.console.app import ConsoleChat, ConsoleNotifier
from bots.console.translate import Identity
from config.intents import load_intents
from config.settings import DEFAULT_INTENTS_FILE, DEFAULT_TIERS_FILE, Settings
from config.tiers import load_tiers
from core.clock import ShiftedClock
from core.desk.context import Moderators
from core.messages import CONSOLE, Address, Author, IncomingMessage, Mention, ReplyKind
from core.tickets.records import TicketStatus
from tests.desk_fakes import RULES, START, KeywordUnderstander, make_harness
from tests.fakes import memory_stores

pytestmark = pytest.mark.asyncio


async def test_assign_gives_the_ticket_to_someone_else_logs_it_and_tells_them() -> None:
    h = make_harness(tier="enterprise")
    await h.say("the whole API is down for us")
    reply = await h.mod("assign 1 <@81234>")
    assert reply.kind is ReplyKind.INFO and reply.text == "Ticket #1 is assigned to 81234; they were told."
    ticket = await h.store.tickets.get(1)
    assert ticket is not None and ticket.assignee == "discord:81234" and ticket.status is TicketStatus.OPEN
    [event] = [e for e in await h.store.tickets.events(1) if e.kind == "assigned"]
    assert (event.actor, event.detail) == ("discord:mo", "nobody → discord:81234")
    [told] = h.notifier.sent
    assert told.address.thread == "mod"  # where the moderator ran it, on the assignee's platform
    assert told.reply.mentions == (Mention("discord", "user", "81234"),)
    assert told.reply.text == "Ticket #1 (critical, the whole API is down for us) is now assigned to 81234, by Mo."
    # The new assignee now finds it among their own tickets.
    mine = await h.say("tickets mine", user="81234", thread="x", roles=frozenset({"moderator"}), command=True)
    assert "#1 [critical]" in mine[0].text


async def test_assign_again_says_so_and_a_reassignment_names_the_one_before() -> None:
    h = make_harness()
    await h.say("the app crashes on start")
    await h.mod("claim 1")
    reply = await h.mod("assign 1 @bob")
    assert reply.text == "Ticket #1 is assigned to bob (was discord:mo); they were told."
    assert (await h.mod("assign 1 bob")).text == "Ticket #1 is already assigned to bob."


async def test_assign_and_tier_are_for_moderators_and_their_mistakes_are_explained() -> None:
    h = make_harness()
    await h.say("the app crashes on start")
    for text in ("assign 1 bob", "tier 1 enterprise"):
        [refused] = await h.say(text, command=True)
        assert "Only moderators" in refused.text
    ticket = await h.store.tickets.get(1)
    assert ticket is not None and ticket.assignee is None and ticket.tier == "community"
    assert "is not a person" in (await h.mod("assign 1 <#123>")).text
    assert "needs someone to assign" in (await h.mod("assign 1")).text
    unknown = await h.mod("tier 1 gold")
    assert unknown.kind is ReplyKind.ERROR
    tiers = "community, professional, enterprise, white-glove"
    assert unknown.text == f'There is no tier "gold". Tiers: {tiers}. Usage: tier N TIER'


async def test_tier_moves_the_ticket_replans_its_sla_and_states_the_new_promise() -> None:
    h = make_harness()
    await h.say("the app crashes on start")  # community, high: no promise
    before = await h.store.tickets.get(1)
    assert before is not None and before.first_response_due is None
    reply = await h.mod("tier 1 enterprise")
    assert reply.text == (
        "Ticket #1 is now Enterprise (was Community); its SLA was planned again. Enterprise promises a first "
        "response within 4 hours at high: first response due in 4h 00m, resolution due in 3d 0h."
    )
    ticket = await h.store.tickets.get(1)
    assert ticket is not None and ticket.tier == "enterprise"
    assert ticket.first_response_due == START + timedelta(hours=4)
    assert [e.detail for e in await h.store.tickets.events(1) if e.kind == "tier"] == ["community → enterprise"]
    # The new plan's timers run: the enterprise escalation chain starts when the 4 hours are missed.
    assert not [o for o in await h.wait(timedelta(hours=3, minutes=59)) if o.reply.kind is ReplyKind.ESCALATION]
    late = await h.wait(timedelta(minutes=2))
    assert [o.reply.kind for o in late if o.reply.kind is ReplyKind.ESCALATION] == [ReplyKind.ESCALATION]
    assert (await h.mod("tier 1 Enterprise")).text == "Ticket #1 is already Enterprise."


async def test_a_move_to_business_hours_says_how_the_time_is_counted() -> None:
    h = make_harness()
    await h.say("the app crashes on start")
    reply = await h.mod("tier 1 professional")
    promise = "Professional promises a first response within 8 hours at high, counting only business hours"
    assert f"{promise} (Mon–Fri 08:00–18:00, Europe/London time" in reply.text


async def test_assign_and_tier_through_the_console() -> None:
    tiers = load_tiers(DEFAULT_TIERS_FILE)
    catalog = load_intents(DEFAULT_INTENTS_FILE)
    notifier, clock = ConsoleNotifier(), ShiftedClock()
    system = compose_system(
        Settings(),
        understander=KeywordUnderstander(catalog, RULES),
        catalog=catalog,
        tiers=tiers,
        stores=memory_stores(),
        notifier=notifier,
        clock=clock,
        moderators=Moderators(frozenset({"moderator"})),
    )
    customer = Address(CONSOLE, "local", "terminal", "ana-1")
    await system.desk.handle(IncomingMessage(customer, Author("ana", "ana"), "the app crashes on start", "1"))
    out = io.StringIO()
    chat = ConsoleChat(system, notifier, clock, Identity("mo", frozenset({"moderator"}), "mo-1"), out)
    await chat.step("/assign 1 bob", 1)
    await chat.step("/tier 1 white-glove", 2)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    told = next(line for line in lines if line["kind"] == "warning")
    assert told["text"] == "Ticket #1 (high, the app crashes on start) is now assigned to bob, by mo."
    assert told["mentions"] == ["console:user:bob"]
    texts = [line["text"] for line in lines if line["kind"] == "info"]
    assert texts[0] == "Ticket #1 is assigned to bob; they were told."
    assert texts[1].startswith("Ticket #1 is now White-glove (was Community)")
    assert "White-glove promises a first response within 2 hours at high" in texts[1]
    ticket = await system.stores.tickets.get(1)
    assert ticket is not None and (ticket.assignee, ticket.tier) == ("console:bob", "white-glove")
