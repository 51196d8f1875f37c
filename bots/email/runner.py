"""Running the e-mail adapter inside ``helpline serve``: the mailboxes read over IMAP, replies sent by SMTP.

In a web process (where events are received) ``start`` runs one IMAP reader per mailbox
(``bots.email.imap``: IDLE or polling) and the drain of the ``email`` job queue (``bots.email.ingest``): each
fetched mail is stored as a job before it is flagged ``\\Seen``, then handled from there. Every process has the
notifier, so staff replies, acknowledgements and surveys for ``email:`` addresses go out from any of them.
Without ``HELPLINE_EMAIL_IMAP_HOST`` the adapter only sends.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING

from bots.adapters import AdapterContext, AdapterSpec
from bots.email.imap import MailboxReader
from bots.email.ingest import POLICY, QUEUE, MailIngest, mail_job
from bots.email.notifier import EmailNotifier, SmtpSender
from bots.email.settings import email_settings
from bots.email.translate import EMAIL

if TYPE_CHECKING:
    from starlette.routing import BaseRoute

    from core.jobs import Job

log = logging.getLogger("helpline.email")
SHUTDOWN_GRACE = 10.0  # seconds the job in hand gets to finish when serve stops


class EmailRunner:
    """The e-mail plug-in of ``helpline serve``: IMAP readers, the ``email`` job drain and the SMTP notifier."""

    name = EMAIL

    def __init__(self, context: AdapterContext) -> None:
        settings = email_settings(context.env)  # a wrong variable stops start-up with its name
        self.settings = settings
        sender = SmtpSender(settings)
        self.notifier = EmailNotifier(settings, sender, context.clock)
        self._listen = context.plan.web
        self.jobs = context.drains(QUEUE, self._run, POLICY)
        self.ingest = MailIngest(context.desk, settings, sender, context.clock, self.jobs.accept)
        self.readers = [MailboxReader(settings, box, self._accept) for box in settings.mailboxes]
        self._stop = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    async def _run(self, job: Job) -> None:
        await self.ingest.run(job)

    async def _accept(self, mailbox: str, raw: bytes) -> None:
        """Store a fetched mail as a job (a second copy of one is not stored) and wake the drain."""
        key, kind, payload, conversation = await asyncio.to_thread(mail_job, mailbox, raw)  # a big mail parses slowly
        if not await self.jobs.accept(key, kind, payload, conversation):
            log.info("mail %s was fetched before: kept once", key)
        self.jobs.wake()

    def routes(self) -> list[BaseRoute]:
        """None: mail does not arrive over HTTP."""
        return []

    async def start(self) -> None:
        """In a web process: drain stored mail (a previous run's first) and read every mailbox, in the background."""
        if not self._listen:
            return
        self._tasks.append(asyncio.create_task(self.jobs.run_forever(self._stop), name="helpline-email-jobs"))
        if not self.settings.imap_host:
            log.warning("HELPLINE_EMAIL_IMAP_HOST is not set: the e-mail adapter sends but reads no mailbox")
            return
        for reader, box in zip(self.readers, self.settings.mailboxes, strict=True):
            self._tasks.append(asyncio.create_task(reader.run(self._stop), name=f"helpline-imap-{box.address}"))

    async def close(self) -> None:
        """Stop reading and draining; a mail fetched but not handled stays queued (or unseen) for the next start."""
        self._stop.set()
        for task in self._tasks:
            with contextlib.suppress(TimeoutError, asyncio.CancelledError):
                await asyncio.wait_for(task, SHUTDOWN_GRACE)
        self._tasks.clear()


ADAPTER = AdapterSpec(
    EMAIL,
    ("HELPLINE_EMAIL_MAILBOXES", "HELPLINE_EMAIL_SECRET", "HELPLINE_EMAIL_SMTP_HOST"),
    available=True,
    optional=(("HELPLINE_EMAIL_IMAP_HOST", "to read the mailboxes"),),
    build=EmailRunner,
)
