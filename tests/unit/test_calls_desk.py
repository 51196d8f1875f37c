"""Video calls through the desk: ``call`` offers three free slots in the support calendar within the tier's quota,
picking one books it with a Jitsi link and an iCalendar invite, and the worker reminds both sides once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar

from core.calls.commands import RequestCall
from core.commands import needs_moderator
from core.desk.commands import parse_command
from core.messages import Action, Choice, Reply, ReplyKind
from core.tiers import Customer
from tests.desk_fakes import Harness, make_harness

# The harness starts on Monday 23 November 2026 at 09:00 UTC; the support calendar is London's 08:00-18:00 (UTC in
# November), and a call starts at least two hours after it is asked for.
PEOPLE = [
    Customer("acme", "Acme", "enterprise", ("discord:ent1", "discord:ent2")),
    Customer("globex", "Globex", "professional", ("discord:pro1",)),
]


def harness() -> Harness:
    return make_harness(customers=PEOPLE)


async def offer(h: Harness, user: str, text: str = "call", thread: str | None = None) -> Reply:
    [reply] = await h.say(text, user=user, thread=thread or f"t-{user}", command=True)
    return reply


def starts(reply: Reply) -> list[datetime]:
    return [datetime.fromtimestamp((c.score or 0) * 60, UTC) for c in reply.choices]


async def pick(h: Harness, user: str, choice: Choice, thread: str | None = None) -> Reply:
    [reply] = await h.say("", user=user, thread=thread or f"t-{user}", choice=choice.value)
    return reply


@pytest.mark.asyncio
async def test_a_professional_customer_books_one_call_a_month_with_a_link_and_an_invite() -> None:
    h = harness()
    slots = await offer(h, "pro1")
    monday = datetime(2026, 11, 23, tzinfo=UTC)
    assert starts(slots) == [monday + timedelta(hours=h) for h in (11, 11.5, 12)]
    assert all(c.action is Action.BOOK_CALL for c in slots.choices)
    assert slots.text.startswith("Pick a time for a video call (30 minutes). Times are the support team's")
    assert slots.choices[0].label == "Mon 23 Nov 11:00 (Europe/London)"
    booked = await pick(h, "pro1", slots.choices[1])
    assert booked.kind is ReplyKind.INFO and "is booked: Mon 23 Nov 11:30" in booked.text
    link = next(w for w in booked.text.split() if w.startswith("https://meet.jit.si/Helpline-"))
    assert len(link) > len("https://meet.jit.si/Helpline-") + 20
    [ics] = booked.attachments
    assert ics.name == "invite.ics" and ics.media_type == "text/calendar"
    event = next(c for c in Calendar.from_ical(ics.data).walk("VEVENT"))
    assert event.decoded("dtstart") == monday + timedelta(hours=11.5)
    assert event.decoded("dtend") == monday + timedelta(hours=12)
    assert str(event["location"]) == link
    [call] = await h.store.calls.of_holder("globex", monday)
    assert call.person == "discord:pro1" and call.link == link and call.tier == "professional"
    [team] = [q.outbound for q in await h.store.outbox.outbox()]
    assert link in team.reply.text and team.reply.attachments == (ics,)
    refused = await offer(h, "pro1")
    assert refused.choices == () and "next call can be booked from 01 December 2026" in refused.text


@pytest.mark.asyncio
async def test_a_community_member_is_told_what_their_plan_offers_instead() -> None:
    h = harness()
    reply = await offer(h, "someone")
    assert reply.choices == () and "does not include video calls" in reply.text
    assert await h.store.calls.of_person("discord:someone") == []


@pytest.mark.asyncio
async def test_two_customers_picking_one_slot_get_it_once_and_the_second_gets_new_times() -> None:
    h = harness()
    first, second = await offer(h, "ent1"), await offer(h, "pro1")
    assert starts(first) == starts(second)
    assert "is booked" in (await pick(h, "ent1", first.choices[0])).text
    again = await pick(h, "pro1", second.choices[0])
    assert again.text.startswith("That time is no longer free.")
    assert starts(first)[0] not in starts(again) and len(again.choices) == 3
    assert len(await h.store.calls.overlapping(starts(first)[0], starts(first)[0] + timedelta(minutes=1))) == 1


@pytest.mark.asyncio
async def test_a_forged_or_stale_time_books_nothing() -> None:
    h = harness()
    night = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)  # outside the support calendar
    forged = Choice("", Action.BOOK_CALL, 0, int(night.timestamp()) // 60)
    assert (await pick(h, "ent1", forged)).text.startswith("That time is no longer free.")
    past = Choice("", Action.BOOK_CALL, 0, int(datetime(2026, 11, 23, 9, 30, tzinfo=UTC).timestamp()) // 60)
    assert (await pick(h, "ent1", past)).text.startswith("That time is no longer free.")
    assert await h.store.calls.of_person("discord:ent1") == []


@pytest.mark.asyncio
async def test_a_call_about_a_ticket_is_on_its_log_and_someone_elses_ticket_is_refused() -> None:
    h = harness()
    said = await h.say("the app is down for all our users", user="ent1", thread="t-ent1")
    number = next(r.ticket for r in said if r.ticket is not None)
    ticket = await h.store.tickets.get(number)
    assert ticket is not None
    slots = await offer(h, "ent1")
    assert f"about ticket #{ticket.number}" in slots.text
    await pick(h, "ent1", slots.choices[0])
    events = [e.kind for e in await h.store.tickets.events(ticket.number)]
    assert "call_booked" in events
    other = await offer(h, "pro1", f"call {ticket.number}")
    assert other.kind is ReplyKind.ERROR and "not one of yours" in other.text


@pytest.mark.asyncio
async def test_the_worker_reminds_the_customer_and_the_team_once_fifteen_minutes_before() -> None:
    h = harness()
    slots = await offer(h, "ent1")
    await pick(h, "ent1", slots.choices[0])  # Monday 11:00
    await h.wait(timedelta(seconds=1))  # the booking's team notice goes out
    assert await h.wait(timedelta(hours=1, minutes=40)) == []  # 10:40: too early
    reminders = await h.wait(timedelta(minutes=6))  # 10:46
    texts = [o.reply.text for o in reminders]
    assert any(t.startswith("Your video call starts in 14 minutes (11:00 UTC)") for t in texts)
    assert any(t.startswith("Video call with discord:ent1 in 14 minutes") for t in texts)
    assert len(reminders) == 2
    assert await h.wait(timedelta(minutes=5)) == []


def test_call_is_typed_alone_or_with_a_ticket_and_anyone_may_ask() -> None:
    assert parse_command("call") == RequestCall(0)
    assert parse_command("/call 12") == RequestCall(12)
    assert not needs_moderator(parse_command("call"))
