"""Contract tests for the files kept with messages, on the fake, SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.messages import FILE_NAME_CHARS, MAX_FILES, Address, FileRef
from core.stores import Stores
from core.tickets.records import ConversationMessage, NewTicket, Priority, Role, TicketChange, TicketEvent

pytestmark = pytest.mark.asyncio

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
THREAD = Address("slack", "T1", "C1", "1700000000.1")
SHOT = FileRef("crash.png", "https://files.example.com/F1/crash.png", "image/png", 48213)
LOG = FileRef("build log ✓.txt", "https://files.example.com/F2/build.txt", "", None)


def message(text: str, files: tuple[FileRef, ...], *, at: datetime = T0, external_id: str = "") -> ConversationMessage:
    return ConversationMessage(THREAD, "U1", "Ada", Role.CUSTOMER, text, at, external_id=external_id, files=files)


def draft() -> NewTicket:
    return NewTicket("acme", "pro", THREAD, "U1", "Ada", "Builds fail", None, Priority.HIGH, T0, None, None)


async def test_a_messages_files_are_kept_in_order_and_follow_it_onto_its_ticket(store: Stores) -> None:
    assert await store.conversations.record_message(message("", (SHOT, LOG), external_id="m1"))
    assert await store.conversations.record_message(message("no files", (), at=T0 + timedelta(seconds=1)))
    assert [m.files for m in await store.conversations.conversation(THREAD)] == [(SHOT, LOG), ()]
    ticket = await store.tickets.open_ticket(draft(), "helpline")
    assert [m.files for m in await store.conversations.messages(ticket.number)] == [(SHOT, LOG), ()]


async def test_a_message_kept_with_a_ticket_change_keeps_its_files(store: Stores) -> None:
    ticket = await store.tickets.open_ticket(draft(), "helpline")
    later = T0 + timedelta(minutes=5)
    event = TicketEvent(ticket.number, later, "slack:U1", "customer_message")
    kept = message("see the log", (LOG,), at=later, external_id="m2")
    await store.tickets.update(ticket.number, TicketChange(), event, kept)
    [read] = await store.conversations.messages(ticket.number)
    assert (read.text, read.files) == ("see the log", (LOG,))


async def test_a_message_with_an_id_and_files_waits_and_is_attached_once(store: Stores) -> None:
    await store.conversations.record_message(message("", (SHOT,), external_id="m3"))
    ticket = await store.tickets.open_ticket(draft(), "helpline")
    await store.conversations.record_message(message("", (SHOT,), at=T0 + timedelta(minutes=1)))
    [waiting] = await store.conversations.conversation(THREAD)
    assert await store.conversations.attach_message(waiting, ticket.number)
    assert [m.files for m in await store.conversations.messages(ticket.number)] == [(SHOT,), (SHOT,)]


async def test_the_store_keeps_at_most_twenty_files_and_cuts_long_names(store: Stores) -> None:
    many = tuple(FileRef("n" * 600 + str(n), f"https://files.example.com/{n}", "text/plain", n) for n in range(30))
    await store.conversations.record_message(message("lots", many))
    [kept] = await store.conversations.conversation(THREAD)
    assert len(kept.files) == MAX_FILES
    assert all(len(f.name) == FILE_NAME_CHARS for f in kept.files)
    assert [f.url for f in kept.files] == [f"https://files.example.com/{n}" for n in range(MAX_FILES)]
