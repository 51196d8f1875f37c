"""Files customers send: kept with their messages as references, a file alone included, bounded."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.messages import (
    FILE_NAME_CHARS,
    FILE_URL_CHARS,
    MAX_FILES,
    Action,
    Address,
    Author,
    ChoiceMessage,
    FileRef,
    IncomingMessage,
    bounded_files,
)
from core.tickets.records import Role
from tests.desk_fakes import make_harness

SCREENSHOT = FileRef("boot-crash.png", "https://cdn.example.com/boot-crash.png", "image/png", 48213)
LOG = FileRef("app.log", "https://cdn.example.com/app.log", "text/plain", 10342)


@pytest.mark.asyncio
async def test_a_file_alone_is_kept_and_joins_the_ticket_its_question_opens() -> None:
    h = make_harness(tier="enterprise")
    [reply] = await h.say("", files=(SCREENSHOT,))
    assert reply.text == "I kept the file you sent. Please type your question."
    [waiting] = await h.store.conversations.conversation(Address("discord", "guild1", "help", "t1"))
    assert waiting.files == (SCREENSHOT,) and waiting.text == ""
    await h.say("the whole API is down for us")
    kept = await h.store.conversations.messages(1)
    assert [m.files for m in kept if m.role is Role.CUSTOMER] == [(SCREENSHOT,), ()]


@pytest.mark.asyncio
async def test_files_without_words_in_a_tickets_thread_are_added_to_the_ticket() -> None:
    h = make_harness(tier="enterprise")
    await h.say("the whole API is down for us")
    h.clock.advance(timedelta(minutes=1))
    [reply] = await h.say("", files=(SCREENSHOT, LOG))
    assert reply.text.startswith("Added to ticket #1")
    last = (await h.store.conversations.messages(1))[-1]
    assert (last.role, last.files) == (Role.CUSTOMER, (SCREENSHOT, LOG))
    assert [e.kind for e in await h.store.tickets.events(1)][-1] == "customer_message"


@pytest.mark.asyncio
async def test_several_files_alone_are_counted_in_the_answer() -> None:
    h = make_harness()
    [reply] = await h.say("", files=(SCREENSHOT, LOG))
    assert reply.text == "I kept the 2 files you sent. Please type your question."


@pytest.mark.asyncio
async def test_a_remark_with_a_file_after_rating_is_not_swallowed_as_the_comment() -> None:
    h = make_harness()
    console, ana = Address("console", "", "local", "c1"), Author("ana", "Ana")
    await h.desk.handle(IncomingMessage(console, ana, "the whole API is down", "c0"))
    await h.mod("resolve 1")
    await h.desk.handle(ChoiceMessage(console, ana, Action.RATE, 1, "p1", score=2))
    replies = await h.desk.handle(IncomingMessage(console, ana, "it broke again, see", "c2", files=(LOG,)))
    assert all("comment is kept" not in r.text for r in replies)
    rated = await h.store.surveys.get(1)
    assert rated is not None and rated.comment == ""
    assert any(m.files == (LOG,) for m in await h.store.conversations.messages(1))


def test_at_most_twenty_files_are_kept_with_names_cut_and_overlong_addresses_dropped() -> None:
    many = [FileRef(f"f{n}.txt", f"https://x.example/{n}", "text/plain", n) for n in range(MAX_FILES + 5)]
    assert [f.name for f in bounded_files(many)] == [f"f{n}.txt" for n in range(MAX_FILES)]
    [long] = bounded_files([FileRef("a" * 1000 + ".png", "https://x.example/" + "p" * FILE_URL_CHARS, "image/png", 1)])
    assert len(long.name) == FILE_NAME_CHARS and long.name.endswith("…")
    assert long.url == ""  # a cut address would lead somewhere else


def test_kept_names_are_one_visible_line_and_odd_values_are_unknown() -> None:
    [odd] = bounded_files([FileRef("  evil\u202egnp.exe\n\u200b", "https://x.example/a b", "image/png\n", -5)])
    assert (odd.name, odd.url, odd.media_type, odd.size) == ("evilgnp.exe", "", "image/png", None)
    [blank] = bounded_files([FileRef("\u200b", "", "", None)])
    assert blank.name == "unnamed file"
    once = bounded_files([FileRef("b" * 400, "https://x.example/1", "text/plain", 3)])
    assert bounded_files(once) == once  # keeping again changes nothing
