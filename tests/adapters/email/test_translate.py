"""The e-mail translators on mails in the shapes real mail programs send: text, threading, robots, identity."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import dkim

from bots.email.identity import verified_domain
from bots.email.mime import parse_mail
from bots.email.safety import SenderLimit, automatic_reason
from bots.email.threads import find_ticket, message_id, reply_address, token
from bots.email.translate import Accept, Ignore, Refuse, compose, conversation, decide, rating
from core.messages import Outbound, Reply, ReplyKind
from tests.adapters.email import mails

SECRET = "test-secret"
MAILBOX = "support@helpline.example"


def test_gmail_reply_keeps_only_the_new_words_and_joins_its_ticket_by_reply_address() -> None:
    mail = parse_mail(mails.with_token(mails.GMAIL_REPLY, token(SECRET, 42)))
    decision = decide(mail, MAILBOX, SECRET)
    assert isinstance(decision, Accept)
    assert decision.message.text == "Still failing after the reset, sorry."
    assert decision.threading is not None
    assert (decision.threading.ticket, decision.threading.by) == (42, "address")


def test_outlook_html_in_latin_1_is_read_as_text_without_its_history() -> None:
    mail = parse_mail(mails.OUTLOOK_HTML_ONLY)
    decision = decide(mail, MAILBOX, SECRET)
    assert isinstance(decision, Accept)
    assert mail.sender_name == "Jürgen Müller"
    assert mail.subject == "Rückfrage zur Rechnung"
    assert str(decision.message.text).startswith("Guten Tag, die Rechnung für März ist doppelt.")
    assert "invoice is attached" not in decision.message.text
    assert "margin" not in decision.message.text


def test_apple_mail_signature_goes_and_its_attachment_is_listed_on_the_ticket() -> None:
    mail = parse_mail(mails.APPLE_MAIL_WITH_ATTACHMENT)
    decision = decide(mail, MAILBOX, SECRET)
    assert isinstance(decision, Accept)
    assert "Sent from my iPhone" not in decision.message.text
    assert "The app crashes on start — log attached." in decision.message.text
    assert "Attachment: crash.log (text/plain, 20 bytes)" in decision.message.text
    assert mail.attachments[0].data == b"FATAL: null pointer\n"
    assert decision.message.files[0].name == "crash.log"


def test_an_attachment_over_the_limit_is_listed_as_not_kept() -> None:
    mail = parse_mail(mails.APPLE_MAIL_WITH_ATTACHMENT, max_attachment_bytes=5)
    decision = decide(mail, MAILBOX, SECRET)
    assert isinstance(decision, Accept)
    assert mail.attachments[0].data == b""
    assert "too large, not kept" in decision.message.text


def test_the_raw_message_is_kept_exactly() -> None:
    assert parse_mail(mails.NEW_QUESTION).raw == mails.NEW_QUESTION


def test_threading_order_message_id_then_subject_tag_then_new() -> None:
    own = message_id(MAILBOX, SECRET, 7, "u1")
    by_id = parse_mail(mails.NEW_QUESTION.replace(b"Message-ID:", f"In-Reply-To: <{own}>\nMessage-ID:".encode()))
    assert find_ticket(by_id, SECRET) is not None
    assert find_ticket(by_id, SECRET).ticket == 7  # type: ignore[union-attr]
    tagged = parse_mail(mails.NEW_QUESTION.replace(b"Subject: Cannot log in", b"Subject: Re: help [#9]"))
    assert find_ticket(tagged, SECRET).by == "subject"  # type: ignore[union-attr]
    assert find_ticket(parse_mail(mails.NEW_QUESTION), SECRET) is None


def test_a_forged_reply_address_or_message_id_joins_no_ticket() -> None:
    forged = mails.with_token(mails.GMAIL_REPLY, "0123456789ab").replace(b" [#42]", b"")
    assert find_ticket(parse_mail(forged), SECRET) is None


def test_out_of_office_and_bounce_are_ignored() -> None:
    assert isinstance(decide(parse_mail(mails.OUT_OF_OFFICE), MAILBOX, SECRET), Ignore)
    assert isinstance(decide(parse_mail(mails.BOUNCE), MAILBOX, SECRET), Ignore)
    for header in (b"Precedence: bulk", b"X-Autoreply: yes", b"List-Id: <news.example>"):
        mail = parse_mail(mails.NEW_QUESTION.replace(b"Subject:", header + b"\nSubject:"))
        assert automatic_reason(mail) is not None, header
    assert automatic_reason(parse_mail(mails.NEW_QUESTION)) is None


def test_an_oversized_mail_is_refused_with_the_reason() -> None:
    big = mails.NEW_QUESTION + b"x" * (26 * 1024 * 1024)
    decision = decide(parse_mail(big), MAILBOX, SECRET)
    assert isinstance(decision, Refuse)
    assert "limit is 25 MB" in decision.reason


def test_the_sender_limit_counts_per_sender_within_the_window() -> None:
    limit = SenderLimit(count=2, window=timedelta(minutes=10))
    now = datetime(2026, 12, 1, 10, tzinfo=UTC)
    assert limit.allow("a@x.example", now) and limit.allow("A@x.example", now)
    assert not limit.allow("a@x.example", now)
    assert limit.allow("b@x.example", now)
    assert limit.allow("a@x.example", now + timedelta(minutes=10))


def test_a_reply_carries_message_id_in_reply_to_references_and_the_ticket_address() -> None:
    address = conversation(MAILBOX, "ana@customer.example", "root@customer.example")
    reply = Reply(ReplyKind.TICKET, "We opened ticket #42.", ticket=42)
    now = datetime(2026, 12, 1, 10, tzinfo=UTC)
    mail = compose(
        Outbound(address, reply), secret=SECRET, unique="u1", now=now, subject="Cannot log in", auto_replied=True
    )
    assert mail["To"] == "ana@customer.example"
    assert reply_address(MAILBOX, SECRET, 42) in mail["From"]
    assert mail["Subject"] == "Re: Cannot log in [#42]"
    assert mail["In-Reply-To"] == "<root@customer.example>"
    assert mail["References"] == "<root@customer.example>"
    assert mail["Auto-Submitted"] == "auto-replied"
    # The customer's answer to it threads back to ticket 42 by its Message-ID alone.
    answer = mails.NEW_QUESTION.replace(b"Message-ID:", f"In-Reply-To: {mail['Message-ID']}\nMessage-ID:".encode())
    assert find_ticket(parse_mail(answer), SECRET).ticket == 42  # type: ignore[union-attr]


def test_a_rating_is_a_reply_whose_first_line_is_a_number() -> None:
    assert rating("4\n\nOn Tue, Helpline wrote:\n> How did we do?") == 4
    assert rating("4/5") == 4
    assert rating("I tried 4 times") is None


def _signed(raw: bytes, domain: bytes) -> tuple[bytes, dict[bytes, bytes]]:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
    )
    public = key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    import base64

    record = b"v=DKIM1; k=rsa; p=" + base64.b64encode(public)
    raw = raw.replace(b"\n", b"\r\n")
    signature = dkim.sign(raw, b"s1", domain, private, include_headers=[b"from", b"to", b"subject"])
    return signature + raw, {b"s1._domainkey." + domain + b".": record}


def test_the_sender_domain_counts_only_when_dkim_verifies_for_it() -> None:
    raw = mails.OUTLOOK_HTML_ONLY
    signed, records = _signed(raw, b"bigcorp.example")

    def dns(name: bytes, timeout: int = 5) -> bytes | None:
        return records.get(name)

    assert verified_domain(signed, "juergen@bigcorp.example", dns) == "bigcorp.example"
    # Spoofed: the same From, signed by another domain, or not signed, or altered after signing.
    other, other_records = _signed(raw, b"attacker.example")
    assert verified_domain(other, "juergen@bigcorp.example", lambda name, timeout=5: other_records.get(name)) == ""
    assert verified_domain(raw, "juergen@bigcorp.example", dns) == ""
    assert verified_domain(signed.replace(b"doppelt", b"bezahlt"), "juergen@bigcorp.example", dns) == ""


def test_only_a_verified_domain_reaches_the_core_as_the_authors_organisation() -> None:
    mail = parse_mail(mails.OUTLOOK_HTML_ONLY)
    spoofable = decide(mail, MAILBOX, SECRET)
    verified = decide(mail, MAILBOX, SECRET, verified_domain="bigcorp.example")
    assert isinstance(spoofable, Accept) and isinstance(verified, Accept)
    assert spoofable.message.author.team == "" and spoofable.message.address.workspace == ""
    assert verified.message.author.team == "bigcorp.example"
