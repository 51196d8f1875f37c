"""Contract tests for the tickets, conversations, escalations and statistics ports, on the fakes and SQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from core.messages import Address, Citation
from core.stores import Stores
from core.tickets.records import (
    ConversationMessage,
    Deadline,
    Escalation,
    NewTicket,
    Priority,
    Role,
    TicketChange,
    TicketEvent,
    TicketNotFoundError,
    TicketStatus,
)
from tests.deflections import counted_deflections

pytestmark = pytest.mark.asyncio

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
THREAD = Address("slack", "T1", "C1", "1700000000.1")
OTHER = Address("slack", "T1", "C1", "1700000000.2")


def draft(
    address: Address = THREAD,
    *,
    priority: Priority = Priority.MEDIUM,
    tier: str = "pro",
    created: datetime = T0,
    first_response_due: datetime | None = T0 + timedelta(hours=1),
    resolution_due: datetime | None = T0 + timedelta(days=1),
) -> NewTicket:
    return NewTicket(
        "acme",
        tier,
        address,
        "U1",
        "Ada",
        "Builds fail",
        "build_failure",
        priority,
        created,
        first_response_due,
        resolution_due,
    )


def message(
    text: str, *, address: Address = THREAD, at: datetime = T0, external_id: str = "", role: Role = Role.CUSTOMER
) -> ConversationMessage:
    return ConversationMessage(address, "U1", "Ada", role, text, at, raw=text.encode(), external_id=external_id)


async def test_numbers_start_at_one_and_increase(store: Stores) -> None:
    opened = [await store.tickets.open_ticket(draft(created=T0 + timedelta(minutes=i)), "helpline") for i in range(3)]
    assert [t.number for t in opened] == [1, 2, 3]
    first = opened[0]
    assert (first.status, first.assignee, first.updated_at, first.first_response_at) == (
        TicketStatus.NEW,
        None,
        T0,
        None,
    )
    assert await store.tickets.get(2) == opened[1]
    assert await store.tickets.get(99) is None
    assert await store.tickets.events(1) == [TicketEvent(1, T0, "helpline", "opened", "priority medium, tier pro")]


async def test_open_ticket_attaches_the_threads_earlier_messages_only(store: Stores) -> None:
    assert await store.conversations.record_message(message("hello", at=T0))
    assert await store.conversations.record_message(message("builds fail", at=T0 + timedelta(seconds=5)))
    assert await store.conversations.record_message(message("elsewhere", address=OTHER))
    assert [m.text for m in await store.conversations.conversation(THREAD)] == ["hello", "builds fail"]

    ticket = await store.tickets.open_ticket(draft(created=T0 + timedelta(minutes=1)), "helpline")
    attached = await store.conversations.messages(ticket.number)
    assert [(m.text, m.ticket) for m in attached] == [("hello", 1), ("builds fail", 1)]
    assert await store.conversations.conversation(THREAD) == []
    assert [m.text for m in await store.conversations.conversation(OTHER)] == ["elsewhere"]

    await store.conversations.record_message(message("later", at=T0 + timedelta(minutes=2)))
    assert [m.text for m in await store.conversations.conversation(THREAD)] == ["later"]
    assert len(await store.conversations.messages(ticket.number)) == 2


async def test_a_waiting_message_attaches_to_a_ticket_once(store: Stores) -> None:
    await store.tickets.open_ticket(draft(), "helpline")  # ticket 1, before the messages below
    await store.conversations.record_message(message("with an id", external_id="m1"))
    await store.conversations.record_message(message("without one", at=T0 + timedelta(minutes=1)))
    await store.conversations.record_message(message("another thread", address=OTHER))
    with_id, without = await store.conversations.conversation(THREAD)

    assert await store.conversations.attach_message(with_id, 1)
    assert await store.conversations.attach_message(without, 1)
    assert not await store.conversations.attach_message(without, 1)  # no longer waiting
    assert [m.text for m in await store.conversations.messages(1)] == ["with an id", "without one"]
    assert await store.conversations.conversation(THREAD) == []
    assert [m.text for m in await store.conversations.conversation(OTHER)] == ["another thread"]
    with pytest.raises(TicketNotFoundError):
        await store.conversations.attach_message(with_id, 99)


async def test_conversation_returns_the_latest_messages_oldest_first(store: Stores) -> None:
    for i in range(5):
        await store.conversations.record_message(message(f"m{i}", at=T0 + timedelta(seconds=i)))
    assert [m.text for m in await store.conversations.conversation(THREAD, limit=3)] == ["m2", "m3", "m4"]


async def test_a_platform_id_is_kept_once(store: Stores) -> None:
    assert await store.conversations.record_message(message("first", external_id="M1"))
    assert not await store.conversations.record_message(
        message("again", external_id="M1", at=T0 + timedelta(seconds=1))
    )
    assert await store.conversations.record_message(
        message("same id, other platform", address=Address("discord"), external_id="M1")
    )
    assert await store.conversations.record_message(message("no id"))
    assert await store.conversations.record_message(message("no id either"))
    assert [m.text for m in await store.conversations.conversation(THREAD)] == ["first", "no id", "no id either"]
    assert (await store.conversations.conversation(THREAD))[0].external_id == "M1"


async def test_update_applies_fields_event_and_message_together(store: Stores) -> None:
    await store.tickets.open_ticket(draft(), "helpline")
    at = T0 + timedelta(minutes=10)
    reply = message("on it", at=at, role=Role.AGENT, external_id="A1")
    change = TicketChange(status=TicketStatus.OPEN, assignee="bob", first_response_at=at)
    updated = await store.tickets.update(1, change, TicketEvent(1, at, "bob", "claimed", "assigned to bob"), reply)

    assert (updated.status, updated.assignee, updated.first_response_at, updated.updated_at) == (
        TicketStatus.OPEN,
        "bob",
        at,
        at,
    )
    assert (updated.priority, updated.created_at, updated.resolved_at) == (Priority.MEDIUM, T0, None)
    assert await store.tickets.get(1) == updated
    assert [e.kind for e in await store.tickets.events(1)] == ["opened", "claimed"]
    assert [(m.text, m.ticket, m.role) for m in await store.conversations.messages(1)] == [("on it", 1, Role.AGENT)]

    resolved = await store.tickets.update(
        1, TicketChange(resolved_at=at, status=TicketStatus.RESOLVED), TicketEvent(1, at, "bob", "resolved")
    )
    assert resolved.resolved_at == at
    reopened = await store.tickets.update(
        1, TicketChange(clear_resolved_at=True, status=TicketStatus.OPEN), TicketEvent(1, at, "ada", "reopened")
    )
    assert (reopened.resolved_at, reopened.status, reopened.assignee) == (None, TicketStatus.OPEN, "bob")


async def test_update_of_an_unknown_ticket_raises_and_writes_nothing(store: Stores) -> None:
    await store.tickets.open_ticket(draft(), "helpline")
    with pytest.raises(TicketNotFoundError) as raised:
        await store.tickets.update(7, TicketChange(assignee="bob"), TicketEvent(7, T0, "bob", "claimed"), message("x"))
    assert raised.value.number == 7
    assert await store.tickets.events(7) == []
    assert await store.conversations.messages(7) == []
    assert await store.conversations.conversation(THREAD) == []
    with pytest.raises(TicketNotFoundError):
        await store.tickets.add_event(TicketEvent(7, T0, "bob", "note"))


async def test_add_event_is_logged_in_time_order(store: Stores) -> None:
    await store.tickets.open_ticket(draft(), "helpline")
    await store.tickets.add_event(TicketEvent(1, T0 + timedelta(minutes=5), "helpline", "notify_failed", "slack down"))
    events = await store.tickets.events(1)
    assert [(e.kind, e.detail) for e in events] == [
        ("opened", "priority medium, tier pro"),
        ("notify_failed", "slack down"),
    ]


async def test_list_is_most_urgent_first_with_filters(store: Stores) -> None:
    minute = timedelta(minutes=1)
    plan = [(Priority.LOW, 0), (Priority.CRITICAL, 3), (Priority.HIGH, 1), (Priority.CRITICAL, 2), (Priority.MEDIUM, 4)]
    for priority, offset in plan:
        await store.tickets.open_ticket(draft(priority=priority, created=T0 + offset * minute), "helpline")
    assert [t.number for t in await store.tickets.list_tickets()] == [4, 2, 3, 5, 1]
    assert [t.number for t in await store.tickets.list_tickets(limit=2)] == [4, 2]

    await store.tickets.update(4, TicketChange(status=TicketStatus.CLOSED), TicketEvent(4, T0, "bob", "closed"))
    await store.tickets.update(3, TicketChange(assignee="bob"), TicketEvent(3, T0, "bob", "claimed"))
    await store.tickets.update(1, TicketChange(assignee="bob"), TicketEvent(1, T0, "bob", "claimed"))
    assert [t.number for t in await store.tickets.list_tickets()] == [2, 3, 5, 1]
    assert [t.number for t in await store.tickets.list_tickets(active_only=False)] == [4, 2, 3, 5, 1]
    assert [t.number for t in await store.tickets.list_tickets(assignee="bob")] == [3, 1]
    assert await store.tickets.list_tickets(assignee="carol") == []


async def test_overdue_selects_missed_promises_only(store: Stores) -> None:
    hour, now = timedelta(hours=1), T0 + timedelta(hours=5)
    await store.tickets.open_ticket(
        draft(first_response_due=T0 + hour, resolution_due=T0 + 9 * hour), "h"
    )  # 1: unanswered
    await store.tickets.open_ticket(
        draft(first_response_due=T0 + hour, resolution_due=T0 + 9 * hour), "h"
    )  # 2: answered
    await store.tickets.update(2, TicketChange(first_response_at=T0), TicketEvent(2, T0, "bob", "replied"))
    await store.tickets.open_ticket(draft(first_response_due=None, resolution_due=T0 + 2 * hour), "h")  # 3: unresolved
    await store.tickets.open_ticket(draft(first_response_due=T0 + hour, resolution_due=T0 + hour), "h")  # 4: resolved
    resolved = TicketChange(status=TicketStatus.RESOLVED, resolved_at=T0)
    await store.tickets.update(4, resolved, TicketEvent(4, T0, "bob", "resolved"))
    await store.tickets.open_ticket(draft(first_response_due=now + hour, resolution_due=now + hour), "h")  # 5: not yet
    await store.tickets.open_ticket(draft(first_response_due=None, resolution_due=None), "h")  # 6: no promises
    await store.tickets.open_ticket(draft(first_response_due=now, resolution_due=None), "h")  # 7: due exactly now
    assert [t.number for t in await store.tickets.overdue(now)] == [1, 3]


async def test_active_and_latest_ticket_of_a_thread(store: Stores) -> None:
    await store.tickets.open_ticket(draft(), "h")
    await store.tickets.update(1, TicketChange(status=TicketStatus.RESOLVED), TicketEvent(1, T0, "bob", "resolved"))
    await store.tickets.open_ticket(draft(), "h")
    await store.tickets.open_ticket(draft(OTHER), "h")
    assert (await store.tickets.active_ticket_for(THREAD), await store.tickets.latest_ticket_for(THREAD)) == (
        await store.tickets.get(2),
        await store.tickets.get(2),
    )
    await store.tickets.update(2, TicketChange(status=TicketStatus.CLOSED), TicketEvent(2, T0, "bob", "closed"))
    assert await store.tickets.active_ticket_for(THREAD) is None
    assert (await store.tickets.latest_ticket_for(THREAD)) == await store.tickets.get(2)
    assert await store.tickets.latest_ticket_for(Address("github", "org/repo", "issues", "9")) is None


async def test_an_escalation_is_claimed_once_per_ticket_deadline_and_level(store: Stores) -> None:
    await store.tickets.open_ticket(draft(), "h")
    first = Escalation(1, Deadline.FIRST_RESPONSE, 1, "#support-leads", T0 + timedelta(hours=1))
    assert await store.escalations.claim_escalation(first)
    assert not await store.escalations.claim_escalation(
        Escalation(1, Deadline.FIRST_RESPONSE, 1, "#other", T0 + timedelta(hours=2))
    )
    assert await store.escalations.claim_escalation(
        Escalation(1, Deadline.FIRST_RESPONSE, 2, "@oncall", T0 + timedelta(hours=2))
    )
    assert await store.escalations.claim_escalation(
        Escalation(1, Deadline.RESOLUTION, 1, "#support-leads", T0 + timedelta(hours=3))
    )
    assert [(e.deadline, e.level) for e in await store.escalations.escalations(1)] == [
        (Deadline.FIRST_RESPONSE, 1),
        (Deadline.FIRST_RESPONSE, 2),
        (Deadline.RESOLUTION, 1),
    ]
    escalated = [e for e in await store.tickets.events(1) if e.kind == "escalated"]
    assert len(escalated) == 3
    assert escalated[0] == TicketEvent(1, first.at, "helpline", "escalated", escalated[0].detail)
    assert all(word in escalated[0].detail for word in ("first_response", "1", "#support-leads"))
    with pytest.raises(TicketNotFoundError):
        await store.escalations.claim_escalation(Escalation(9, Deadline.MANUAL, 1, "#x", T0))


async def test_a_released_escalation_can_be_claimed_again(store: Stores) -> None:
    await store.tickets.open_ticket(draft(), "h")
    escalation = Escalation(1, Deadline.RESOLUTION, 1, "#support-leads", T0 + timedelta(hours=1))
    assert await store.escalations.claim_escalation(escalation)
    await store.escalations.release_escalation(escalation, "slack returned 503")
    assert await store.escalations.escalations(1) == []
    failed = (await store.tickets.events(1))[-1]
    assert (failed.kind, failed.actor) == ("escalation_failed", "helpline")
    assert "slack returned 503" in failed.detail
    assert await store.escalations.claim_escalation(escalation)
    assert await store.escalations.escalations(1) == [escalation]


async def test_resolutions_without_an_answer_name_each_count(store: Stores) -> None:
    await store.statistics.record_deflection(THREAD, "how do I reset 2FA?", "https://docs.example/2fa", T0)
    await store.statistics.record_deflection(OTHER, "refunds?", "https://docs.example/refunds", T0)
    assert await counted_deflections(store) == 2


async def test_a_resolution_counts_once_per_answer_and_a_later_no_withdraws_it(store: Stores) -> None:
    stats = store.statistics
    for _ in range(5):  # five presses of Helpful under one answer
        await stats.record_deflection(THREAD, "reset 2FA?", "https://docs.example/2fa", T0, answer="a1")
    await stats.record_deflection(THREAD, "refunds?", "https://docs.example/refunds", T0, answer="a2")
    await stats.record_deflection(OTHER, "reset 2FA?", "https://docs.example/2fa", T0, answer="a1")
    assert await counted_deflections(store) == 3  # an answer is named within its own thread

    await stats.withdraw_deflection(THREAD, "a1")  # the customer then said it did not help
    await stats.withdraw_deflection(THREAD, "a1")
    await stats.withdraw_deflection(THREAD, "never-voted")
    assert await counted_deflections(store) == 2
    await stats.record_deflection(THREAD, "reset 2FA?", "https://docs.example/2fa", T0, answer="a1")
    assert await counted_deflections(store) == 3  # and Helpful again: the last vote stands


async def test_times_come_back_aware_in_utc(store: Stores) -> None:
    india = timezone(timedelta(hours=5, minutes=30))
    local = datetime(2026, 3, 2, 14, 30, 15, 123456, tzinfo=india)
    ticket = await store.tickets.open_ticket(draft(created=local, first_response_due=local + timedelta(hours=1)), "h")
    await store.conversations.record_message(message("hi", at=local))
    await store.tickets.update(1, TicketChange(), TicketEvent(1, local, "bob", "looked"), message("there", at=local))
    stored = await store.tickets.get(ticket.number)
    assert stored is not None
    times = [stored.created_at, stored.updated_at, stored.first_response_due]
    times += [m.at for m in await store.conversations.messages(1)] + [e.at for e in await store.tickets.events(1)]
    assert all(t is not None and t.tzinfo == UTC for t in times)
    assert stored.created_at == local == datetime(2026, 3, 2, 9, 0, 15, 123456, tzinfo=UTC)
    assert ticket == stored


async def test_odd_bytes_and_long_texts_round_trip_exactly(store: Stores) -> None:
    raw = b"\x00nul \xff\xfe not utf-8 \xed\xa0\x80 lone surrogate"
    long_text = "ünïcode 🚀 " * 10_000
    citation = Citation("Refunds", "https://docs.example/refunds")
    odd = ConversationMessage(
        THREAD,
        "U1",
        "Ada",
        Role.CUSTOMER,
        long_text,
        T0,
        raw=raw,
        intent="billing",
        citation=citation,
        external_id="E1",
    )
    assert await store.conversations.record_message(odd)
    assert await store.conversations.conversation(THREAD) == [odd]
    assert len(long_text.encode()) > 100_000
