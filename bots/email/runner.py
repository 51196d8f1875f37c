"""Running the e-mail adapter inside ``helpline serve``: its notifier, so replies to ``email:`` addresses go out.

This build sends (acknowledgements, staff replies from any channel, surveys) by SMTP; reading the mailboxes
by IMAP is not part of it yet (docs/email.md), so ``start`` has nothing to listen to.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bots.adapters import AdapterContext, AdapterSpec
from bots.email.notifier import EmailNotifier, SmtpSender
from bots.email.settings import email_settings
from bots.email.translate import EMAIL

if TYPE_CHECKING:
    from starlette.routing import BaseRoute


class EmailRunner:
    """The e-mail plug-in of ``helpline serve``."""

    name = EMAIL

    def __init__(self, context: AdapterContext) -> None:
        settings = email_settings(context.env)  # a wrong variable stops start-up with its name
        self.notifier = EmailNotifier(settings, SmtpSender(settings), context.clock)

    def routes(self) -> list[BaseRoute]:
        """None: mail does not arrive over HTTP."""
        return []

    async def start(self) -> None:
        """Nothing to listen to in this build (IMAP ingest is still to come)."""

    async def close(self) -> None:
        """Nothing runs in the background."""


ADAPTER = AdapterSpec(
    EMAIL,
    ("HELPLINE_EMAIL_MAILBOXES", "HELPLINE_EMAIL_SECRET", "HELPLINE_EMAIL_SMTP_HOST"),
    available=True,
    build=EmailRunner,
)
