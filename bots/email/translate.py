"""Pure translation between e-mail and the core: a received mail to a decision, a core reply to a mail.

An e-mail conversation's address is ``email:/<mailbox>/<sender> <root Message-ID>``: the mailbox it was sent to,
the customer's address (where replies go) and the first message of the thread. The workspace is left empty so
that a tier rule can match the sender's domain only through ``Author.team``, which is set only when DKIM
verifies for that domain (see ``bots.email.identity``).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr

from bots.email.mime import MailAttachment, ParsedMail
from bots.email.reply_text import new_text
from bots.email.safety import automatic_reason
from bots.email.threads import Threading, find_ticket, message_id, reply_address, subject_with_tag
from core.messages import Address, Author, FileRef, IncomingMessage, Outbound, Reply

EMAIL = "email"
MAX_MAIL_BYTES = 25 * 1024 * 1024  # a larger mail is refused with a reply saying so
_RATING = re.compile(r"^\s*([0-9]{1,2})\s*(?:/\s*(?:5|10))?\s*$")


@dataclass(frozen=True)
class Ignore:
    """A mail that opens nothing and gets no reply (an auto-reply, a bounce, over the rate limit)."""

    reason: str


@dataclass(frozen=True)
class Refuse:
    """A mail too large to take: the sender gets a reply saying so, and the refusal is recorded."""

    reason: str


@dataclass(frozen=True)
class Accept:
    """A mail for the desk: the message and the ticket it continues, if it was matched to one."""

    message: IncomingMessage
    threading: Threading | None


Decision = Ignore | Refuse | Accept


def conversation(mailbox: str, sender: str, root_id: str) -> Address:
    """The address of a mail conversation with ``sender`` on ``mailbox`` started by ``root_id``."""
    return Address(EMAIL, "", mailbox.lower(), f"{sender.lower()} {root_id}")


def customer_of(address: Address) -> str:
    """The customer's mail address an e-mail conversation's replies go to."""
    return address.thread.partition(" ")[0]


def decide(
    mail: ParsedMail, mailbox: str, secret: str, *, verified_domain: str = "", thread_address: Address | None = None
) -> Decision:
    """What to do with ``mail`` received on ``mailbox``.

    ``thread_address`` is the address of the ticket the mail was matched to (the shell looks it up from
    ``find_ticket``); the mail then joins that conversation whichever Message-ID it carries.
    """
    reason = automatic_reason(mail)
    if reason is not None:
        return Ignore(reason)
    if len(mail.raw) > MAX_MAIL_BYTES:
        return Refuse(
            f"the message is {len(mail.raw) // (1024 * 1024)} MB; the limit is {MAX_MAIL_BYTES // (1024 * 1024)} MB"
        )
    threading = find_ticket(mail, secret)
    address = thread_address or conversation(
        mailbox, mail.sender, mail.message_id or "no-id-" + hashlib.sha256(mail.raw).hexdigest()[:16]
    )
    author = Author(f"{mail.sender}", mail.sender_name or mail.sender, team=verified_domain)
    text = new_text(mail.text)
    if not text and not mail.attachments:
        text = mail.subject
    listed = attachment_lines(mail.attachments)
    message = IncomingMessage(
        address,
        author,
        text + (f"\n\n{listed}" if listed else ""),
        message_id=mail.message_id,
        files=tuple(FileRef(a.name, "", a.media_type, a.size) for a in mail.attachments),
    )
    return Accept(message, threading)


def attachment_lines(attachments: tuple[MailAttachment, ...]) -> str:
    """The attachments as the ticket lists them, those over the size limit marked as not kept."""
    return "\n".join(
        f"Attachment: {a.name} ({a.media_type}, {a.size} bytes{'' if a.kept else ', too large, not kept'})"
        for a in attachments
    )


def rating(text: str) -> int | None:
    """A survey answer by e-mail: a reply whose first line is just a number (``4`` or ``4/5``)."""
    first = new_text(text).strip().splitlines()[:1]
    match = _RATING.match(first[0]) if first else None
    return int(match.group(1)) if match else None


def compose(
    outbound: Outbound,
    *,
    secret: str,
    unique: str,
    now: datetime,
    subject: str = "",
    previous: tuple[str, ...] = (),
    auto_replied: bool = False,
) -> EmailMessage:
    """The mail for a core message to an e-mail conversation, threaded under its root and ``previous`` ids.

    ``auto_replied``: Helpline's own answer to the customer's mail (an acknowledgement, a suggestion, a refusal),
    marked so (RFC 3834) that robots do not answer it; a staff member's reply is a person's and is not marked.
    """
    address, reply = outbound.address, outbound.reply
    mailbox = address.channel
    root = address.thread.partition(" ")[2]
    ticket = reply.ticket
    mail = EmailMessage()
    mail["From"] = formataddr(("Helpline", reply_address(mailbox, secret, ticket) if ticket else mailbox))
    mail["To"] = customer_of(address)
    mail["Subject"] = subject_with_tag(subject, ticket) if ticket else (subject or "Your request")
    number = ticket if ticket is not None else 0
    mail["Message-ID"] = f"<{message_id(mailbox, secret, number, unique)}>"
    chain = [ref for ref in (root, *previous) if ref]
    if chain:
        mail["In-Reply-To"] = f"<{chain[-1]}>"
        mail["References"] = " ".join(f"<{ref}>" for ref in dict.fromkeys(chain))
    mail["Date"] = format_datetime(now)
    if auto_replied:
        mail["Auto-Submitted"] = "auto-replied"
    mail.set_content(_body(reply))
    for file in reply.attachments:
        maintype, _, subtype = file.media_type.partition("/")
        mail.add_attachment(
            file.data, maintype=maintype or "application", subtype=subtype or "octet-stream", filename=file.name
        )
    return mail


def _body(reply: Reply) -> str:
    lines = [reply.text]
    if reply.citation is not None:
        lines.append(f"\n{reply.citation.title}: {reply.citation.url}")
    rated = [choice for choice in reply.choices if choice.score is not None]
    if rated:
        scores = ", ".join(str(choice.score) for choice in rated)
        lines.append(f"\nReply with a number ({scores}) to rate our help.")
    return "\n".join(lines)
