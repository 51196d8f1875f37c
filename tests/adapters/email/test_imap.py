"""E-mail ingest end to end: mail APPENDed to a real IMAP server (pymap) becomes tickets; answers leave by SMTP.

The adapter runs as ``helpline serve`` starts it (``EmailRunner.start``): its IMAP reader in IDLE (or polling),
its job drain, its notifier; the SMTP server is aiosmtpd, so every mail a customer would get is read back here.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio

from bots.email.imap import MailboxReader
from bots.email.ingest import MailIngest
from bots.email.mime import parse_mail
from bots.email.notifier import SmtpSender
from bots.email.safety import SenderLimit
from bots.email.settings import email_settings
from bots.email.threads import token
from bots.email.translate import EMAIL, conversation
from tests.adapters.email import imap_mails, mails
from tests.adapters.email.imap_world import (
    PASSWORD,
    SECRET,
    SUPPORT,
    Inbox,
    World,
    append,
    free_port,
    imap_server,
    make_world,
    mark_unseen,
    start_smtp,
    unseen,
)

pytestmark = pytest.mark.asyncio


@pytest.fixture
def imap() -> Iterator[int]:
    yield from imap_server()


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox, controller, port = start_smtp()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest_asyncio.fixture
async def world(tmp_path: Path, imap: int, smtp: tuple[Inbox, int]) -> AsyncIterator[World]:
    inbox, smtp_port = smtp
    running = await make_world(tmp_path / "helpline.db", imap, smtp_port, inbox)
    await asyncio.wait_for(running.runner.readers[0].connected.wait(), 15)
    try:
        yield running
    finally:
        await running.close()


async def _first_ticket(world: World) -> int:
    """Mail a new question from Gmail; the number of the ticket its acknowledgement names."""
    await append(world.imap_port, imap_mails.GMAIL_NEW)
    [ack] = await world.inbox.wait_for(1)
    ticket = await world.store.tickets.latest_ticket_for(conversation(SUPPORT, "ana@customer.example", imap_mails.ROOT))
    assert ticket is not None, ack.as_string()
    return ticket.number


async def test_a_mail_to_support_opens_a_ticket_and_the_acknowledgement_threads_under_it(world: World) -> None:
    assert world.runner.readers[0].idling  # pymap offers IDLE: the mail is read when it arrives
    number = await _first_ticket(world)
    [ack] = world.inbox.mails
    assert ack["To"] == "ana@customer.example"
    assert f"[#{number}]" in ack["Subject"] and ack["Subject"].startswith("Re: The export crashes")
    assert ack["In-Reply-To"] == f"<{imap_mails.ROOT}>"
    assert f"<{imap_mails.ROOT}>" in ack["References"]
    assert ack["Auto-Submitted"] == "auto-replied"  # the customer's out-of-office must not answer it
    assert f"#{number}" in ack.get_content()
    assert "this may help" in ack.get_content()  # the suggestion comes in the same mail, not a second one
    assert f"support+t{number}-{token(SECRET, number)}@helpline.example" in ack["From"]
    ticket = await world.desk.ticket(number)
    assert ticket is not None and "crashes every time I export" in ticket.subject
    await world.settled()
    assert await unseen(world.imap_port) == []  # flagged \Seen once it was stored


async def test_a_staff_reply_reaches_the_customer_and_her_answer_joins_the_ticket_without_the_quote(
    world: World,
) -> None:
    number = await _first_ticket(world)
    [ack] = world.inbox.mails
    await world.moderator(f"reply {number} Please update to 4.2, the export is fixed there.")
    staff = (await world.inbox.wait_for(2))[1]
    assert staff["To"] == "ana@customer.example"
    assert "update to 4.2" in staff.get_content()
    assert staff["In-Reply-To"] == f"<{imap_mails.ROOT}>" and staff["Auto-Submitted"] is None
    # She answers the staff mail from Gmail, quoting everything below her words.
    answer = imap_mails.gmail_answer(staff["From"], staff["Message-ID"], ack["Subject"])
    await append(world.imap_port, answer)
    await world.settled()
    ticket = await world.desk.ticket(number)
    assert ticket is not None and ticket.status.active
    kept = await world.store.conversations.messages(number)
    texts = [str(message.text) for message in kept]
    assert any(text.startswith("Updated, and the export works now") for text in texts)
    assert not any("update to 4.2" in text and "Updated, and" in text for text in texts)  # the quote was cut
    assert await world.store.tickets.latest_ticket_for(conversation(SUPPORT, "ana@customer.example", "x")) is None


async def test_an_auto_reply_and_a_bounce_open_nothing_and_get_no_answer(world: World) -> None:
    await append(world.imap_port, mails.OUT_OF_OFFICE)
    await append(world.imap_port, mails.BOUNCE)
    await world.settled()
    assert world.inbox.mails == []
    for sender, root in (("ana@customer.example", "ooo1@customer.example"), ("mailer-daemon@mx.customer.example", "")):
        address = conversation(SUPPORT, sender, root or "bounce1@mx.customer.example")
        assert await world.store.tickets.latest_ticket_for(address) is None
    assert await unseen(world.imap_port) == []  # read, so not fetched again


async def test_a_spoofed_enterprise_sender_stays_on_the_default_tier(world: World) -> None:
    await append(world.imap_port, imap_mails.OUTLOOK_SPOOFED)
    await world.inbox.wait_for(1)
    address = conversation(SUPPORT, "cfo@bigcorp.example", imap_mails.SPOOFED_ID)
    ticket = await world.store.tickets.latest_ticket_for(address)
    assert ticket is not None
    assert ticket.tier == "community"  # bigcorp.example is enterprise only with its DKIM signature


async def test_the_same_message_appended_twice_is_handled_once(world: World) -> None:
    number = await _first_ticket(world)
    await append(world.imap_port, imap_mails.GMAIL_NEW)  # delivered again, under a new UID
    await world.settled()
    await asyncio.sleep(0.5)
    assert len(world.inbox.mails) == 1
    kept = await world.store.conversations.messages(number)
    assert [m.external_id for m in kept].count(imap_mails.ROOT) == 1


async def test_a_sender_over_the_rate_limit_gets_no_more_answers(world: World) -> None:
    settings = world.runner.settings
    ingest = MailIngest(
        world.desk, settings, SmtpSender(settings), world.clock, world.runner.jobs.accept, limit=SenderLimit(count=1)
    )
    first, second = (
        mails.NEW_QUESTION.replace(b"root@", name.encode() + b"@").replace(b"cannot log in", b"the app crashes")
        for name in ("one", "two")
    )
    await ingest.receive(SUPPORT, parse_mail(first))
    await ingest.receive(SUPPORT, parse_mail(second))  # a different mail, within the same hour
    await world.runner.jobs.run_once()
    await asyncio.sleep(0.5)
    assert [mail["In-Reply-To"] for mail in world.inbox.mails] == ["<one@customer.example>"]


async def test_a_restart_after_a_crash_before_seen_does_not_handle_the_mail_again(
    tmp_path: Path, imap: int, smtp: tuple[Inbox, int]
) -> None:
    inbox, smtp_port = smtp
    first = await make_world(tmp_path / "helpline.db", imap, smtp_port, inbox)
    await append(imap, imap_mails.GMAIL_NEW)
    await inbox.wait_for(1)
    await first.settled()
    await first.close()
    await mark_unseen(imap)  # the reader died after storing the mail, before flagging it
    again = await make_world(tmp_path / "helpline.db", imap, smtp_port, inbox)
    try:
        await again.settled()
        await asyncio.sleep(0.5)
        assert len(inbox.mails) == 1  # fetched again, recognised, flagged, not answered twice
        assert await unseen(imap) == []
    finally:
        await again.close()


async def test_an_oversized_mail_is_refused_with_a_reply(world: World) -> None:
    big = imap_mails.GMAIL_NEW.replace(imap_mails.ROOT.encode(), b"big@mail.gmail.com") + b"x" * (26 * 1024 * 1024)
    await append(world.imap_port, big)
    [refusal] = await world.inbox.wait_for(1, seconds=60)
    assert refusal["To"] == "ana@customer.example"
    assert "limit is 25 MB" in refusal.get_content()
    assert refusal["In-Reply-To"] == "<big@mail.gmail.com>"
    assert await world.store.tickets.latest_ticket_for(conversation(SUPPORT, "ana@customer.example", "big")) is None


async def test_polling_reads_a_server_without_idle_and_a_wrong_password_is_retried_not_fatal(
    imap: int, smtp: tuple[Inbox, int], caplog: pytest.LogCaptureFixture
) -> None:
    env = {
        "HELPLINE_EMAIL_MAILBOXES": SUPPORT,
        "HELPLINE_EMAIL_SECRET": SECRET,
        "HELPLINE_EMAIL_SMTP_HOST": "127.0.0.1",
        "HELPLINE_EMAIL_IMAP_HOST": "127.0.0.1",
        "HELPLINE_EMAIL_IMAP_PORT": str(imap),
        "HELPLINE_EMAIL_PLAIN": "1",
        "HELPLINE_EMAIL_POLL_SECONDS": "0.2",
        "HELPLINE_EMAIL_PASSWORD_SUPPORT": "wrong",
    }
    settings = email_settings(env)
    assert settings.poll_seconds == 0.2
    got: list[bytes] = []

    async def accept(mailbox: str, raw: bytes) -> None:
        got.append(raw)

    stop = asyncio.Event()
    refused = MailboxReader(settings, settings.mailboxes[0], accept, first_backoff=0.05)
    task = asyncio.create_task(refused.run(stop))
    while refused.failures < 2:
        await asyncio.sleep(0.05)
    assert not task.done() and "LOGIN refused" in caplog.text
    stop.set()
    await task
    # Right password, IDLE not used: the reader polls.
    right = email_settings({**env, "HELPLINE_EMAIL_PASSWORD_SUPPORT": PASSWORD})
    reader = MailboxReader(right, right.mailboxes[0], accept, use_idle=False)  # as if the server had no IDLE
    stop = asyncio.Event()
    task = asyncio.create_task(reader.run(stop))
    await append(imap, mails.NEW_QUESTION)
    for _ in range(200):
        if got:
            break
        await asyncio.sleep(0.05)
    stop.set()
    await task
    assert [parse_mail(raw).message_id for raw in got] == ["root@customer.example"]


async def test_an_unreachable_server_is_logged_and_retried(caplog: pytest.LogCaptureFixture) -> None:
    env = {
        "HELPLINE_EMAIL_MAILBOXES": SUPPORT,
        "HELPLINE_EMAIL_SECRET": SECRET,
        "HELPLINE_EMAIL_IMAP_HOST": "127.0.0.1",
        "HELPLINE_EMAIL_IMAP_PORT": str(free_port()),
        "HELPLINE_EMAIL_PLAIN": "1",
    }
    settings = email_settings(env)

    async def accept(mailbox: str, raw: bytes) -> None:
        raise AssertionError("nothing to read")

    stop = asyncio.Event()
    reader = MailboxReader(settings, settings.mailboxes[0], accept, first_backoff=0.05)
    task = asyncio.create_task(reader.run(stop))
    while reader.failures < 3:
        await asyncio.sleep(0.05)
    stop.set()
    await task
    assert "mailbox support@helpline.example" in caplog.text and "trying again" in caplog.text
    assert EMAIL == "email"


async def test_a_reply_that_is_just_a_number_answers_the_satisfaction_survey(world: World) -> None:
    number = await _first_ticket(world)
    [ack] = world.inbox.mails
    await world.moderator(f"resolve {number}")  # the CSAT question is queued for her
    survey = await world.store.surveys.for_ticket(number)
    assert survey is not None and survey.score is None
    rated = imap_mails.gmail_answer(ack["From"], ack["Message-ID"], ack["Subject"]).replace(
        b"Updated, and the export works now. Thank you!", b"5"
    )
    await append(world.imap_port, rated)
    await world.settled()
    survey = await world.store.surveys.for_ticket(number)
    assert survey is not None and survey.score == 5
    ticket = await world.desk.ticket(number)
    assert ticket is not None and not ticket.status.active  # a rating is no new message: the ticket stays resolved
