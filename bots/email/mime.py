"""Reading one e-mail: its headers, its text (plain or HTML, any charset) and its attachments, without I/O.

Everything a sender controls is bounded here: a body part that will not decode is read with replacement
characters, an attachment over the limit is listed (name and size) but its bytes are not kept.
"""

from __future__ import annotations

import email.policy
from dataclasses import dataclass
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr

from bots.email.html_text import html_to_text

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024  # an attachment larger than this is listed but not kept


@dataclass(frozen=True)
class MailAttachment:
    """A file that came with a mail; ``data`` is empty when it was over the size limit (``kept`` False)."""

    name: str
    media_type: str
    size: int
    data: bytes = b""

    @property
    def kept(self) -> bool:
        """Whether the bytes were kept (the file was under the size limit)."""
        return bool(self.data) or self.size == 0


@dataclass(frozen=True)
class ParsedMail:
    """An e-mail as Helpline reads it: who, to whom, which conversation, what it says and what came with it."""

    sender: str  # the bare address, lower-cased
    sender_name: str
    recipients: tuple[str, ...]  # To and Cc and Delivered-To, bare and lower-cased
    subject: str
    message_id: str
    in_reply_to: str
    references: tuple[str, ...]
    text: str  # the body as text (from HTML when there is no plain part), history not yet stripped
    attachments: tuple[MailAttachment, ...]
    headers: tuple[tuple[str, str], ...]  # every header, in order, as decoded text
    content_type: str  # of the whole message, e.g. ``multipart/report``
    raw: bytes  # the message exactly as received

    def header(self, name: str) -> str:
        """The first header called ``name`` (any case), or empty."""
        wanted = name.lower()
        return next((value for key, value in self.headers if key.lower() == wanted), "")


def parse_mail(raw: bytes, max_attachment_bytes: int = MAX_ATTACHMENT_BYTES) -> ParsedMail:
    """Read ``raw`` (RFC 5322 bytes); never raises on a malformed message, only reads less of it."""
    message = BytesParser(policy=email.policy.default).parsebytes(raw)
    headers = tuple((key, _header_text(message, key, value)) for key, value in message.raw_items())
    name, sender = parseaddr(_first(headers, "from"))
    recipients = tuple(
        address.lower()
        for _, address in getaddresses([v for k, v in headers if k.lower() in ("to", "cc", "delivered-to")])
        if address
    )
    plain, html, attachments = _walk(message, max_attachment_bytes)
    text = plain if plain.strip() else html_to_text(html)
    return ParsedMail(
        sender=sender.lower(),
        sender_name=name,
        recipients=tuple(dict.fromkeys(recipients)),
        subject=" ".join(_first(headers, "subject").split()),
        message_id=_msg_id(_first(headers, "message-id")),
        in_reply_to=_msg_id(_first(headers, "in-reply-to")),
        references=tuple(_msg_id(part) for part in _first(headers, "references").split() if _msg_id(part)),
        text=text,
        attachments=tuple(attachments),
        headers=headers,
        content_type=message.get_content_type(),
        raw=raw,
    )


def _header_text(message: Message, key: str, value: str) -> str:
    try:  # encoded words (RFC 2047) in any charset decoded
        return str(email.policy.default.header_fetch_parse(key, value))
    except (ValueError, LookupError, IndexError, TypeError):  # undecodable: keep the readable part as it came
        return value.encode("ascii", "replace").decode()


def _first(headers: tuple[tuple[str, str], ...], name: str) -> str:
    return next((value for key, value in headers if key.lower() == name), "")


def _msg_id(text: str) -> str:
    text = text.strip()
    if "<" in text and ">" in text:
        text = text[text.index("<") + 1 : text.index(">", text.index("<"))]
    return text.strip()


def _walk(message: EmailMessage, limit: int) -> tuple[str, str, list[MailAttachment]]:
    plain: list[str] = []
    html: list[str] = []
    attachments: list[MailAttachment] = []
    for part in message.walk():
        if part.is_multipart():
            continue
        media_type = part.get_content_type()
        filename = part.get_filename()
        disposition = part.get_content_disposition()
        if filename or disposition == "attachment" or not media_type.startswith("text/"):
            if media_type in ("message/delivery-status", "message/disposition-notification"):
                continue
            payload = part.get_payload(decode=True)
            data = payload if isinstance(payload, bytes) else b""
            kept = data if len(data) <= limit else b""
            attachments.append(MailAttachment(filename or "unnamed file", media_type, len(data), kept))
        elif media_type == "text/plain":
            plain.append(_decoded(part))
        elif media_type == "text/html":
            html.append(_decoded(part))
    return "\n".join(plain), "\n".join(html), attachments


def _decoded(part: Message) -> str:
    payload = part.get_payload(decode=True)
    data = payload if isinstance(payload, bytes) else b""
    charset = part.get_content_charset() or "utf-8"
    try:
        return data.decode(charset, errors="replace")
    except LookupError:  # a charset Python does not know: read it as UTF-8, replacing what does not fit
        return data.decode("utf-8", errors="replace")
