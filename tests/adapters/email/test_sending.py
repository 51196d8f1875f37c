"""Staff replies and acknowledgements reach the customer through a real SMTP server (aiosmtpd) started here."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import UTC, datetime
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from bots.email.mime import parse_mail
from bots.email.notifier import EmailNotifier, SmtpSender
from bots.email.settings import EmailSettingsError, email_settings
from bots.email.threads import find_ticket
from bots.email.translate import EMAIL, conversation
from core.clock import ManualClock
from core.messages import Address, Outbound, Reply, ReplyKind
from core.notify import RoutingNotifier

SECRET = "a-test-secret-of-enough-length"


class Inbox:
    """What the SMTP server received: envelope recipients and the mail's bytes."""

    def __init__(self) -> None:
        self.mails: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.content if isinstance(envelope.content, bytes) else b""
        self.mails.append((list(envelope.rcpt_tos), content))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    inbox, port = Inbox(), _free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def _env(port: int) -> dict[str, str]:
    return {
        "HELPLINE_EMAIL_MAILBOXES": "support@helpline.example, enterprise@helpline.example",
        "HELPLINE_EMAIL_SECRET": SECRET,
        "HELPLINE_EMAIL_SMTP_HOST": "127.0.0.1",
        "HELPLINE_EMAIL_SMTP_PORT": str(port),
        "HELPLINE_EMAIL_PLAIN": "1",
    }


@pytest.mark.asyncio
async def test_a_staff_reply_arrives_by_mail_threaded_under_the_customers_first_message(
    smtp: tuple[Inbox, int],
) -> None:
    inbox, port = smtp
    settings = email_settings(_env(port))
    notifier = EmailNotifier(settings, SmtpSender(settings), ManualClock(datetime(2026, 12, 1, 10, tzinfo=UTC)))
    address = conversation("support@helpline.example", "ana@customer.example", "root@customer.example")
    await notifier.send(Outbound(address, Reply(ReplyKind.INFO, "Staff: please clear your cookies.", ticket=42)))
    [(recipients, raw)] = inbox.mails
    assert recipients == ["ana@customer.example"]
    mail = message_from_bytes(raw)
    assert mail["In-Reply-To"] == "<root@customer.example>"
    assert "please clear your cookies" in mail.get_payload()
    assert mail["Auto-Submitted"] is None  # a person's reply: the customer's robots may answer it
    # Her reply to it, sent to its reply address, joins ticket 42.
    answer = f"From: ana@customer.example\nTo: {mail['From']}\nSubject: {mail['Subject']}\n\nThanks, fixed.\n"
    assert find_ticket(parse_mail(answer.encode()), SECRET).ticket == 42  # type: ignore[union-attr]


def test_settings_name_the_bad_variable_and_tls_is_the_default() -> None:
    env = _env(25)
    assert email_settings({**env, "HELPLINE_EMAIL_PLAIN": ""}).tls
    assert email_settings({**env, "HELPLINE_EMAIL_PLAIN": ""}).smtp_port == 25  # set explicitly
    with pytest.raises(EmailSettingsError, match="HELPLINE_EMAIL_SECRET"):
        email_settings({**env, "HELPLINE_EMAIL_SECRET": "short"})
    with pytest.raises(EmailSettingsError, match="HELPLINE_EMAIL_MAILBOXES"):
        email_settings({**env, "HELPLINE_EMAIL_MAILBOXES": "not-an-address"})
    with pytest.raises(EmailSettingsError, match="HELPLINE_EMAIL_SMTP_PORT"):
        email_settings({**env, "HELPLINE_EMAIL_SMTP_PORT": "99999"})


@pytest.mark.asyncio
async def test_the_routing_notifier_sends_email_addresses_through_this_adapter(smtp: tuple[Inbox, int]) -> None:
    inbox, port = smtp
    settings = email_settings(_env(port))
    routing = RoutingNotifier({})
    routing.add(EMAIL, EmailNotifier(settings, SmtpSender(settings), ManualClock(datetime(2026, 12, 1, tzinfo=UTC))))
    address = Address.parse(str(conversation("enterprise@helpline.example", "kim@bigcorp.example", "r1@bigcorp")))
    await routing.send(Outbound(address, Reply(ReplyKind.TICKET, "Ticket #7 opened.", ticket=7)))
    [(recipients, raw)] = inbox.mails
    assert recipients == ["kim@bigcorp.example"]
    assert b"enterprise+t7-" in raw and b"[#7]" in raw
