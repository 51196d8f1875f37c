"""Received mail made durable and handed to the desk: the ``email`` job queue and its handler.

The IMAP reader stores each mail as a job (queue ``email``, kind ``mail``) keyed by its mailbox and Message-ID,
so a message fetched twice (a crash before ``\\Seen``, the same mail delivered again) is stored once; the
handler also claims the Message-ID in the desk's deliveries before anything is opened. Then, in order: a
machine's mail (auto-reply, bounce, bulk) is dropped, a sender over the rate limit is dropped, an oversized mail
gets a reply saying why, and everything else goes to ``desk.handle`` as one ``IncomingMessage``. The desk's
replies become mails threaded under the customer's message, each sent by its own ``send`` job, so a failing
SMTP server is retried without handling the mail again.

A job's payload is ``0xFF``, the mailbox, a newline and the mail's bytes. The leading byte makes it binary on
purpose: the job queue redacts text payloads (``core/privacy/jobs.py``), which would turn the addresses a mail is
made of into ``[email]`` and break its DKIM signature. The desk still redacts the text it is given, and finished
jobs are forgotten after a day (the deliveries claim still recognises a mail fetched again later).
"""

from __future__ import annotations

import asyncio
import dataclasses
import email.policy
import hashlib
import logging
import secrets
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta
from email.message import EmailMessage
from email.parser import BytesParser
from typing import TYPE_CHECKING

from bots.email.identity import DnsLookup, verified_domain
from bots.email.mime import ParsedMail, parse_mail
from bots.email.safety import SenderLimit, automatic_reason
from bots.email.threads import find_ticket
from bots.email.translate import EMAIL, Accept, Ignore, Refuse, compose, conversation, customer_of, decide, rating
from core.job_drain import DrainPolicy, GiveUp
from core.messages import Address, CommandText, IncomingMessage, Outbound, Reply, ReplyKind

if TYPE_CHECKING:
    from bots.email.notifier import SmtpSender
    from bots.email.settings import EmailSettings
    from core.desk.pipeline import SupportDesk
    from core.jobs import Job
    from core.ports import Clock

log = logging.getLogger("helpline.email")

QUEUE = "email"
MAIL = "mail"
SEND = "send"
POLICY = DrainPolicy(
    label="E-mail",
    lease=timedelta(minutes=2),
    first_backoff=timedelta(seconds=30),
    max_attempts=8,
    last_backoff=timedelta(hours=1),
    keep_done=timedelta(days=1),  # the raw mail is not kept longer than needed; deliveries dedupe after that
    logger="helpline.email",
)

_BINARY = b"\xff"  # not UTF-8: the queue stores the payload as it is (see the module's docstring)
Queue = Callable[[str, str, bytes, str], Awaitable[bool]]  # ``JobDrain.accept``: key, kind, payload, conversation


def mail_key(mailbox: str, mail: ParsedMail) -> str:
    """What makes a received mail the same mail: its mailbox and Message-ID (a hash of it without one)."""
    ident = mail.message_id or "sha256:" + hashlib.sha256(mail.raw).hexdigest()
    return f"{mailbox.lower()}:{ident}"[:200]


def mail_job(mailbox: str, raw: bytes) -> tuple[str, str, bytes, str]:
    """``JobDrain.accept``'s key, kind, payload (the mailbox and the bytes, never pickle) and conversation.

    A sender's mails to one mailbox run one at a time and in the order they were fetched.
    """
    mail = parse_mail(raw)
    return f"mail:{mail_key(mailbox, mail)}", MAIL, _payload(mailbox, raw), f"email:{mailbox.lower()}:{mail.sender}"


def _payload(mailbox: str, raw: bytes) -> bytes:
    return _BINARY + mailbox.lower().encode("ascii") + b"\n" + raw


def _read(job: Job) -> tuple[str, bytes]:
    head, newline, raw = job.payload.partition(b"\n")
    if not head.startswith(_BINARY) or not newline:
        raise GiveUp("unreadable e-mail job: not a mailbox and a mail")
    return head[len(_BINARY) :].decode("ascii", "replace"), raw


def one_mail(replies: Sequence[Reply]) -> Reply:
    """The desk's replies to one mail as one answer (a ticket's acknowledgement and a suggestion: one mail, not two).

    The ticket's acknowledgement leads when there is one, so the mail's subject carries the ticket's tag.
    """
    ordered = sorted(replies, key=lambda reply: reply.kind is not ReplyKind.TICKET)
    first = ordered[0]
    texts = [
        reply.text + (f"\n\n{reply.citation.title}: {reply.citation.url}" if reply.citation else "")
        for reply in ordered
    ]
    return dataclasses.replace(
        first,
        text="\n\n".join(text for text in texts if text.strip()),
        citation=None,
        choices=tuple(choice for reply in ordered for choice in reply.choices),
        ticket=next((reply.ticket for reply in ordered if reply.ticket is not None), None),
        attachments=tuple(file for reply in ordered for file in reply.attachments),
    )


class MailIngest:
    """Runs the ``email`` queue's jobs: a received mail through safety and threading to the desk, or a send."""

    def __init__(
        self,
        desk: SupportDesk,
        settings: EmailSettings,
        sender: SmtpSender,
        clock: Clock,
        queue: Queue,
        *,
        limit: SenderLimit | None = None,
        dns: DnsLookup | None = None,
    ) -> None:
        self._desk = desk
        self._settings = settings
        self._sender = sender
        self._clock = clock
        self._queue = queue
        self._limit = limit or SenderLimit()
        self._dns = dns

    async def run(self, job: Job) -> None:
        """Handle one stored job of either kind."""
        if job.kind == SEND:
            mailbox, raw = _read(job)
            message = BytesParser(policy=email.policy.default).parsebytes(raw)
            assert isinstance(message, EmailMessage)  # the default policy makes EmailMessage
            await self._sender.send(message, mailbox)
            return
        mailbox, raw = _read(job)
        await self.receive(mailbox, await asyncio.to_thread(parse_mail, raw))  # a 25 MB mail: off the event loop

    async def receive(self, mailbox: str, mail: ParsedMail) -> None:
        """Decide what ``mail`` is, hand it to the desk if it is a person's, and queue the replies."""
        who = mail.sender or "no sender"
        if not await self._desk.first_delivery(EMAIL, f"mail:{mail_key(mailbox, mail)}"):
            log.info("mail %s from %s on %s seen before: not handled again", mail.message_id, who, mailbox)
            return
        reason = automatic_reason(mail)
        if reason is not None:  # before the rate limit, so an auto-responder's storm never counts against a person
            log.info("mail from %s on %s ignored: %s", who, mailbox, reason)
            return
        if not self._limit.allow(mail.sender, self._clock.now()):
            log.warning("mail from %s on %s ignored: over the per-sender rate limit", who, mailbox)
            return
        domain = await asyncio.to_thread(verified_domain, mail.raw, mail.sender, self._dns)  # DNS: off the loop
        thread = await self._thread_of(mail)
        decision = decide(mail, mailbox, self._settings.secret, verified_domain=domain, thread_address=thread)
        match decision:
            case Ignore(reason=why):
                log.info("mail from %s on %s ignored: %s", who, mailbox, why)
            case Refuse(reason=why):
                log.warning("mail %s from %s on %s refused: %s", mail.message_id, who, mailbox, why)
                text = f"Sorry, we could not take your message: {why}. Please send a shorter one, or link the files."
                address = conversation(mailbox, mail.sender, mail.message_id or "refused")
                await self._reply(Outbound(address, Reply(ReplyKind.ERROR, text)), mail)
            case Accept(message=message):
                replies = await self._rating(message) or await self._desk.handle(message)
                if replies:
                    await self._reply(Outbound(message.address, one_mail(replies)), mail)

    async def _rating(self, message: IncomingMessage) -> Sequence[Reply]:
        """A reply whose first line is a number answers the thread's survey; nothing when none is waiting."""
        score = rating(message.text) if isinstance(message.text, str) else None
        if score is None:
            return []
        rate = CommandText(message.address, message.author, f"rate {score}", message.message_id, message.received_at)
        replies = await self._desk.handle(rate)
        return [] if any(reply.kind is ReplyKind.ERROR for reply in replies) else replies

    async def _thread_of(self, mail: ParsedMail) -> Address | None:
        """The conversation of the ticket ``mail`` continues; a bare ``[#42]`` counts only from its own customer."""
        threading = find_ticket(mail, self._settings.secret)
        if threading is None:
            return None
        ticket = await self._desk.ticket(threading.ticket)
        if ticket is None or ticket.address.platform != EMAIL:
            return None
        if threading.by == "subject" and customer_of(ticket.address) != mail.sender:
            return None  # an unsigned tag: anybody could type it
        return ticket.address

    async def _reply(self, outbound: Outbound, mail: ParsedMail) -> None:
        """Queue the mail for ``outbound``, threaded under ``mail`` (In-Reply-To it, References the thread)."""
        composed = compose(
            outbound,
            secret=self._settings.secret,
            unique=secrets.token_hex(8),
            now=self._clock.now(),
            subject=mail.subject,
            previous=tuple(ref for ref in (*mail.references, mail.message_id) if ref),
            auto_replied=True,
        )
        mailbox = outbound.address.channel
        payload = _payload(mailbox, composed.as_bytes())
        await self._queue(f"send:{composed['Message-ID']}", SEND, payload, f"email:{mailbox}:{mail.sender}")
