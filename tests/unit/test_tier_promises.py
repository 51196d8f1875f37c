"""What a tier promises a new ticket: the priority boost never slows a promise, and a tier applies on its channels."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from config.intents import load_intents
from config.settings import DEFAULT_INTENTS_FILE, DEFAULT_TIERS_FILE, Settings
from config.tiers import load_tiers
from core.clock import ManualClock
from core.desk.context import Moderators
from core.messages import Address, Author, IncomingMessage, ReplyKind
from core.tickets.records import Priority
from core.tiers import Customer, TierDirectory
from tests.desk_fakes import START, KeywordUnderstander, RecordingNotifier, fake_system, make_harness
from tests.fakes import memory_stores


@pytest.mark.asyncio
async def test_the_professional_boost_keeps_a_high_issue_at_its_8_hour_promise() -> None:
    h = make_harness(tier="professional")
    [reply, *_] = await h.say("the app crashes on start")  # bug_report: high
    ticket = await h.store.tickets.get(1)
    assert ticket is not None and ticket.priority is Priority.HIGH  # not critical, whose promise is 24 h
    assert reply.text.startswith("Ticket #1, high: an engineer will reply within 8 hours")
    assert ticket.first_response_due == START + timedelta(hours=8)  # Monday 09:00 in business hours


@pytest.mark.asyncio
async def test_the_boost_still_raises_where_the_higher_level_is_faster() -> None:
    h = make_harness(tier="enterprise")
    [reply, *_] = await h.say("the app crashes on start")
    assert reply.text.startswith("Ticket #1, critical: an engineer will reply within 2 hours")
    tiers, notifier = _desk_with_professional_on("discord")
    text, _ = await _ask(tiers, notifier, Address("discord", "guild1", "help", "t1"), "ana")
    assert text.startswith("Ticket #1, high: someone from the support team will reply within 8 hours")  # medium


def test_no_boost_of_a_shipped_tier_lengthens_any_promise() -> None:
    tiers = load_tiers(DEFAULT_TIERS_FILE)
    for tier in tiers.tiers:
        for base in Priority:
            boosted = tiers.priority(tier, base)
            for targets in (tier.targets.first_response, tier.targets.resolution):
                before, after = targets[base], targets[boosted]
                assert before is None or (after is not None and after <= before), (tier.name, base, boosted)


def _desk_with_professional_on(*channels: str) -> tuple[TierDirectory, RecordingNotifier]:
    shipped = load_tiers(DEFAULT_TIERS_FILE)
    tiers = [dataclasses.replace(t, channels=channels) if t.name == "professional" else t for t in shipped.tiers]
    acme = Customer("acme", "Acme", "professional", ("discord:ana", "slack:U0ANA"))
    return TierDirectory(tiers, customers=[acme]), RecordingNotifier()


async def _ask(tiers: TierDirectory, notifier: RecordingNotifier, where: Address, user: str) -> tuple[str, str]:
    catalog = load_intents(DEFAULT_INTENTS_FILE)
    system = fake_system(
        Settings(),
        understander=KeywordUnderstander(catalog, [("person", "human_request", 0.0)]),  # a medium ticket
        tiers=tiers,
        stores=memory_stores(),
        notifier=notifier,
        clock=ManualClock(START),
        moderators=Moderators(),
    )
    [reply, *_] = await system.desk.handle(IncomingMessage(where, Author(user, "Ana"), "can I talk to a person", "m1"))
    ticket = await system.stores.tickets.get(1)
    assert reply.kind is ReplyKind.TICKET and ticket is not None and ticket.customer == "acme"
    return reply.text, ticket.tier


@pytest.mark.asyncio
async def test_a_tier_applies_on_its_channels_and_elsewhere_the_reply_says_where_it_is() -> None:
    tiers, notifier = _desk_with_professional_on("slack", "github")
    text, tier = await _ask(tiers, notifier, Address("discord", "guild1", "help", "t1"), "ana")
    assert tier == "community"
    assert text == (
        "Ticket #1, medium: someone from the support team will reply within 72 hours. "
        "Your Professional support is on slack or github; here you are served at the Community tier. "
        "Write to us there for your Professional response times."
    )
    text, tier = await _ask(tiers, notifier, Address("slack", "T1", "C1", "1.2"), "U0ANA")
    assert tier == "professional" and "within 8 hours" in text and "served at" not in text


@pytest.mark.asyncio
async def test_a_channel_entry_can_name_one_channel_of_a_platform() -> None:
    tiers, notifier = _desk_with_professional_on("slack:C0PRO")
    _, tier = await _ask(tiers, notifier, Address("slack", "T1", "C0PRO", "1.2"), "U0ANA")
    assert tier == "professional"
    text, tier = await _ask(tiers, notifier, Address("slack", "T1", "C0OTHER", "1.2"), "U0ANA")
    assert tier == "community" and "Your Professional support is on slack:C0PRO" in text
