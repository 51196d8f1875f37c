"""Sending: core messages to ``email:`` addresses become mail, sent by SMTP (aiosmtplib) from their mailbox."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

import aiosmtplib

from bots.email.translate import compose

if TYPE_CHECKING:
    from email.message import EmailMessage

    from bots.email.settings import EmailSettings
    from core.messages import Outbound
    from core.ports import Clock


class SmtpSender:
    """Sends a finished mail through the configured SMTP server, logged in as the mailbox it is from."""

    def __init__(self, settings: EmailSettings) -> None:
        self._settings = settings

    async def send(self, mail: EmailMessage, mailbox: str) -> None:
        """Send ``mail``; aiosmtplib's errors (refused, unreachable) reach the caller, whose job is retried."""
        settings = self._settings
        box = settings.mailbox(mailbox)
        await aiosmtplib.send(
            mail,
            hostname=settings.smtp_host,
            port=settings.smtp_port,
            use_tls=settings.tls,
            username=box.user if box is not None and box.password else None,
            password=box.password if box is not None and box.password else None,
        )


class EmailNotifier:
    """The ``email`` platform's notifier: a staff reply, an acknowledgement or a survey, as a threaded mail."""

    def __init__(self, settings: EmailSettings, sender: SmtpSender, clock: Clock) -> None:
        self._settings = settings
        self._sender = sender
        self._clock = clock

    async def send(self, outbound: Outbound) -> None:
        """Compose the mail for ``outbound`` and send it from the conversation's mailbox."""
        mail = compose(outbound, secret=self._settings.secret, unique=secrets.token_hex(8), now=self._clock.now())
        await self._sender.send(mail, outbound.address.channel)
