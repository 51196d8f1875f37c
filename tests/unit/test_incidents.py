"""Incidents at the desk: one update reaches every linked customer once in their own conversation, a ticket
linked late gets the latest update at once, resolving tells (or resolves) every ticket, enterprise accounts'
CSMs hear of their tickets joining, and ``status`` shows open incidents to anyone without personal data."""

from __future__ import annotations

from datetime import timedelta

import pytest

from config.incidents_config import IncidentSettings
from config.settings import Settings
from core.customers.records import Account, AccountEntry
from core.messages import Address, Destination, Mention, Outbound, ReplyKind
from core.tickets.records import TicketStatus
from core.tiers import Customer
from tests.desk_fakes import START, Harness, make_harness, place
from tests.fakes import HashingEmbedder

pytestmark = pytest.mark.asyncio

ACME = Customer("acme", "Acme", "enterprise", ("discord:ent1",))


async def ticket(h: Harness, user: str, thread: str, platform: str = "discord") -> int:
    """A customer reports the outage; the number of the ticket it opened."""
    [reply] = await h.say("the checkout page is down, payments failing", user=user, thread=thread, platform=platform)
    assert reply.kind is ReplyKind.TICKET and reply.ticket is not None
    return reply.ticket


def to(sent: list[Outbound], where: Address) -> list[str]:
    return [o.reply.text for o in sent if o.address == where]


async def test_two_customers_in_different_conversations_each_get_one_update() -> None:
    h = make_harness()
    console, discord = await ticket(h, "cy", "c1", "console"), await ticket(h, "ana", "d1")
    assert (
        "Opened incident #1 'Payments failing' (critical)"
        in (await h.mod("incident open critical Payments failing")).text
    )
    assert (
        await h.mod(f"incident link 1 {console} #{discord}")
    ).text == "Linked #1, #2 to incident #1 'Payments failing'."
    joined = await h.wait(timedelta(seconds=1))
    assert to(joined, place("console", "c1")) == [
        "Your ticket #1 is part of incident #1 'Payments failing': the team is working on it, "
        "and you will get its updates here."
    ]
    assert "2 customers told" in (await h.mod("incident update 1 We found the cause")).text
    sent = await h.wait(timedelta(seconds=1))
    expected = "Update on incident #1 'Payments failing', which your ticket #{} is part of: We found the cause"
    assert to(sent, place("console", "c1")) == [expected.format(console)]
    assert to(sent, place("discord", "d1")) == [expected.format(discord)]
    assert all(o.reply.ticket in (console, discord) for o in sent)
    assert await h.wait(timedelta(minutes=5)) == []  # a later pass sends nothing twice
    [item] = [i for i in await h.store.outbox.outbox(discord) if "found the cause" in i.outbound.reply.text]
    assert item.sent_at is not None


async def test_a_ticket_linked_late_gets_the_latest_update_at_once_and_only_once() -> None:
    h = make_harness()
    first = await ticket(h, "ana", "d1")
    await h.mod("incident open Login is slow")
    await h.mod(f"incident link 1 {first}")
    await h.mod("incident update 1 Investigating the database")
    await h.mod("incident update 1 A fix is rolling out")
    await h.wait(timedelta(seconds=1))
    late = await ticket(h, "bob", "d2")
    assert "Linked #2" in (await h.mod(f"incident link 1 {late} {first}")).text
    sent = await h.wait(timedelta(seconds=1))
    assert to(sent, place("discord", "d2")) == [
        f"Update on incident #1 'Login is slow', which your ticket #{late} is part of: A fix is rolling out"
    ]
    assert to(sent, place("discord", "d1")) == []
    again = await h.mod(f"incident link 1 {late}")
    assert again.text == "Nothing new linked to incident #1 'Login is slow'. Already linked: #2."
    assert await h.wait(timedelta(seconds=1)) == []
    assert "linked to incident #1" in [e.detail for e in await h.store.tickets.events(late)]


async def test_resolving_tells_every_linked_ticket_and_leaves_them_open_by_default() -> None:
    h = make_harness()
    numbers = [await ticket(h, "ana", "d1"), await ticket(h, "bob", "d2")]
    await h.mod("incident open critical Payments failing")
    await h.mod("incident link 1 1 2")
    assert "2 customers told" in (await h.mod("incident resolve 1 The provider fixed it")).text
    sent = await h.wait(timedelta(seconds=1))
    assert to(sent, place("discord", "d2"))[-1] == (
        "Incident #1 'Payments failing' is resolved: The provider fixed it. "
        "If ticket #2 still shows the problem, reply here."
    )
    for number in numbers:
        found = await h.store.tickets.get(number)
        assert found is not None and found.status.active
    assert (await h.mod("incident resolve 1")).text == "Incident #1 is already resolved."
    refused = await h.mod("incident update 1 more")
    assert refused.kind is ReplyKind.ERROR and "is resolved" in refused.text
    assert await h.wait(timedelta(seconds=1)) == []


async def test_resolving_resolves_the_tickets_when_configured() -> None:
    h = make_harness(settings=Settings(incidents=IncidentSettings(resolve_tickets=True)))
    number = await ticket(h, "ana", "d1")
    await h.mod("incident open Payments failing")
    await h.mod(f"incident link 1 {number}")
    assert "Tickets resolved with it: #1." in (await h.mod("incident resolve 1")).text
    found = await h.store.tickets.get(number)
    assert found is not None and found.status is TicketStatus.RESOLVED and found.resolved_at == START
    sent = await h.wait(timedelta(seconds=1))
    assert to(sent, place("discord", "d1"))[-1] == (
        "Incident #1 'Payments failing' is resolved. Your ticket #1 is resolved with it; "
        "if the problem is back, just reply here."
    )


async def test_an_enterprise_ticket_joining_tells_the_accounts_csm_else_the_staff_channel() -> None:
    h = make_harness(customers=[ACME])
    await h.store.customers.save([AccountEntry(Account("acme", "Acme", "enterprise", "discord:777"))], START)
    number = await ticket(h, "ent1", "d1")
    community = await ticket(h, "ana", "d2")
    await h.mod("incident open critical Payments failing")
    await h.mod(f"incident link 1 {number} {community}")
    sent = await h.wait(timedelta(seconds=1))
    [csm] = [o for o in sent if o.reply.destination is Destination.DIRECT]
    assert csm.address == Address.parse("discord:777") and csm.reply.mentions == (Mention("discord", "user", "777"),)
    assert csm.reply.text == "Ticket #1 of Acme (enterprise) joined incident #1 'Payments failing' (critical)."
    assert len(sent) == 3  # two customers and one CSM: the community account has nobody to tell
    other = make_harness(customers=[ACME])
    number = await ticket(other, "ent1", "d1")
    await other.mod("incident open Payments failing")
    await other.mod(f"incident link 1 {number}")
    [staff] = [o for o in await other.wait(timedelta(seconds=1)) if o.reply.destination is Destination.CHANNEL]
    assert staff.address == Address.parse(other.tiers.get("enterprise").team_channel)
    assert "Ticket #1 of acme (enterprise) joined" in staff.reply.text  # no account kept: its id


async def test_status_shows_open_incidents_to_anyone_without_personal_data() -> None:
    h = make_harness()
    [empty] = await h.say("status", user="zed", thread="z1", command=True)
    assert empty.text == "No open incidents: everything is running normally."
    number = await ticket(h, "ana", "d1")
    await h.mod("incident open critical Payments failing", agent="dana")
    await h.mod(f"incident link 1 {number}")
    await h.mod("incident update 1 A fix is rolling out", agent="dana")
    await h.mod("incident open Old problem")
    await h.mod("incident resolve 2 gone")
    [shown] = await h.say("/status", user="zed", thread="z1", command=True)
    assert shown.text == (
        "Open incidents:\n#1 Payments failing (critical, since 2026-11-23 09:00 UTC). "
        "Latest (2026-11-23 09:00 UTC): A fix is rolling out"
    )
    assert "dana" not in shown.text.lower() and "ana" not in shown.text.lower() and "#1," not in shown.text


async def test_only_moderators_run_incident_commands_and_mistakes_are_named() -> None:
    h = make_harness()
    [refused] = await h.say("incident open Payments failing", user="zed", command=True)
    assert refused.kind is ReplyKind.ERROR and "Only moderators" in refused.text
    assert await h.store.incidents.incidents() == []
    missing = await h.mod("incident link 4 1")
    assert missing.kind is ReplyKind.ERROR and "There is no incident #4." in missing.text
    await h.mod("incident open Payments failing")
    bad = await h.mod("incident link 1 12 abc")
    assert bad.kind is ReplyKind.ERROR and '"abc" is not a ticket number' in bad.text
    no_ticket = await h.mod("incident link 1 40")
    assert no_ticket.kind is ReplyKind.ERROR and "40" in no_ticket.text
    assert "now critical" in (await h.mod("incident severity 1 critical")).text
    found = await h.store.incidents.get(1)
    assert found is not None and found.tickets == () and found.severity == "critical"


async def test_a_critical_incident_resends_its_latest_status_every_interval_until_resolved() -> None:
    h = make_harness(settings=Settings(incidents=IncidentSettings(reminder_interval="1h")))
    number = await ticket(h, "ana", "d1")
    await h.mod("incident open critical Payments failing")
    await h.mod(f"incident link 1 {number}")
    await h.mod("incident update 1 A fix is rolling out")
    await h.wait(timedelta(seconds=1))
    customer = place("discord", "d1")  # the team's SLA warnings about the ticket go elsewhere
    assert to(await h.wait(timedelta(minutes=50)), customer) == []
    [reminder] = to(await h.wait(timedelta(minutes=10)), customer)
    assert reminder == (
        "Still working on incident #1 'Payments failing' (your ticket #1); "
        "latest update (2026-11-23 09:00 UTC): A fix is rolling out"
    )
    assert to(await h.wait(timedelta(minutes=30)), customer) == []  # once an interval, however often it passes
    assert len(to(await h.wait(timedelta(minutes=30)), customer)) == 1
    await h.mod("incident resolve 1 Fixed")
    await h.wait(timedelta(seconds=1))
    assert to(await h.wait(timedelta(hours=3)), customer) == []


async def test_reminders_go_once_per_interval_with_several_workers_and_not_for_minor_incidents() -> None:
    h = make_harness()
    other = make_harness(store=h.store)  # a second process on the same store and its own worker
    number = await ticket(h, "ana", "d1")
    await h.mod("incident open critical Payments failing")
    await h.mod("incident open minor Slow search")
    await h.mod(f"incident link 1 {number}")
    await h.mod(f"incident link 2 {number}")
    await h.wait(timedelta(seconds=1))
    h.clock.advance(timedelta(hours=1))
    other.clock.advance(timedelta(hours=1, seconds=1))
    await h.worker.run_once()
    await other.worker.run_once()
    reminders = [o for o in (*h.notifier.sent, *other.notifier.sent) if o.reply.text.startswith("Still working")]
    assert [o.reply.text.split("'")[1] for o in reminders] == ["Payments failing"]


def proposing(**settings: object) -> Harness:
    """A desk with the bag-of-words embedder, so tickets sharing words read alike."""
    chosen = Settings(incidents=IncidentSettings(**{"similar_score": 0.5, **settings}))
    return make_harness(settings=chosen, embedder=HashingEmbedder())


def staff_lines(sent: list[Outbound]) -> list[str]:
    return [o.reply.text for o in sent if o.reply.text.startswith(("Open an incident?", "Link ticket"))]


async def test_a_burst_of_alike_critical_tickets_proposes_an_incident_once_then_offers_new_ones() -> None:
    h = proposing()
    for n, user in enumerate(("ana", "bob")):
        await ticket(h, user, f"d{n}")
    assert staff_lines(await h.wait(timedelta(minutes=1))) == []  # two are not yet a burst
    [other] = await h.say("our mobile login screen is down", user="cy", thread="d9")  # critical too, not alike
    assert other.ticket == 3
    await ticket(h, "dee", "d2")
    [proposal] = staff_lines(await h.wait(timedelta(minutes=1)))
    assert proposal.startswith("Open an incident? 3 critical tickets alike arrived within minutes (#1, #2, #4)")
    assert proposal.endswith("incident link ID 1 2 4")
    assert staff_lines(await h.wait(timedelta(minutes=1))) == []  # proposed once
    await h.mod("incident open critical Checkout payments failing")
    await h.mod("incident link 1 1 2 4")
    await ticket(h, "eve", "d5")
    [offer] = staff_lines(await h.wait(timedelta(minutes=1)))
    assert offer.startswith("Link ticket #5 to incident #1 'Checkout payments failing'?")
    assert offer.endswith("To link it: incident link 1 5")
    assert staff_lines(await h.wait(timedelta(minutes=1))) == []  # offered once


async def test_tickets_spread_wider_than_the_window_are_not_a_burst() -> None:
    h = proposing(window="10m", propose_after=3)
    for n, user in enumerate(("ana", "bob", "cy")):
        await ticket(h, user, f"d{n}")
        h.clock.advance(timedelta(minutes=6))
    assert staff_lines(await h.wait(timedelta(minutes=1))) == []
