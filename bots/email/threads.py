"""Which ticket a mail belongs to, and the headers that keep Helpline's own mail in its thread.

In order: the per-ticket reply address (``support+t42-<token>@example.com``), a Message-ID Helpline wrote
(``<helpline.t42.<token>.<unique>@example.com>``) in In-Reply-To or References, then a ``[#42]`` tag in the
subject; otherwise the mail starts a new ticket. The token is an HMAC of the ticket number under a secret,
so nobody joins someone else's ticket by guessing an address.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass

from bots.email.mime import ParsedMail

_PLUS = re.compile(r"^[^+@]+\+t(\d{1,12})-([0-9a-f]{12})@", re.I)
_OWN_ID = re.compile(r"^helpline\.t(\d{1,12})\.([0-9a-f]{12})\.[^@]+@", re.I)
_SUBJECT_TAG = re.compile(r"\[#(\d{1,12})\]")


@dataclass(frozen=True)
class Threading:
    """How a mail was matched to a ticket: the number and by what (``address``, ``message-id``, ``subject``)."""

    ticket: int
    by: str


def token(secret: str, ticket: int) -> str:
    """The 12 hex characters that make a ticket's reply address and Message-IDs hard to forge."""
    return hmac.new(secret.encode(), f"ticket:{ticket}".encode(), hashlib.sha256).hexdigest()[:12]


def reply_address(mailbox: str, secret: str, ticket: int) -> str:
    """``support+t42-<token>@example.com`` for ``support@example.com``."""
    local, _, domain = mailbox.partition("@")
    return f"{local}+t{ticket}-{token(secret, ticket)}@{domain}"


def message_id(mailbox: str, secret: str, ticket: int, unique: str) -> str:
    """A Message-ID (without the angle brackets) that names its ticket, e.g. ``helpline.t42.<token>.<u>@dom``."""
    domain = mailbox.partition("@")[2] or "helpline.invalid"
    return f"helpline.t{ticket}.{token(secret, ticket)}.{unique}@{domain}"


def find_ticket(mail: ParsedMail, secret: str) -> Threading | None:
    """The ticket ``mail`` continues, or None for a new conversation."""
    for address in mail.recipients:
        number = _signed(_PLUS.match(address), secret)
        if number is not None:
            return Threading(number, "address")
    for reference in (mail.in_reply_to, *reversed(mail.references)):
        number = _signed(_OWN_ID.match(reference), secret)
        if number is not None:
            return Threading(number, "message-id")
    tag = _SUBJECT_TAG.search(mail.subject)
    if tag is not None:
        return Threading(int(tag.group(1)), "subject")
    return None


def _signed(match: re.Match[str] | None, secret: str) -> int | None:
    if match is None:
        return None
    number = int(match.group(1))
    return number if hmac.compare_digest(match.group(2).lower(), token(secret, number)) else None


def subject_with_tag(subject: str, ticket: int) -> str:
    """``Re: <subject> [#42]``, the tag added once."""
    subject = " ".join(subject.split()) or "Your request"
    if f"[#{ticket}]" not in subject:
        subject = f"{subject} [#{ticket}]"
    return subject if subject.lower().startswith("re:") else f"Re: {subject}"
