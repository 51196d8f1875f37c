"""The desk's door for privacy: what a customer typed is redacted before anything keeps, embeds or shows it.

Every platform's messages and commands pass here first (``SupportDesk.handle``), and the durable job queues
redact what they accept the same way (``core/privacy/jobs.py``), so a token pasted in Slack is gone before the
event waits in its queue. A message that held a credential gets one notice in its thread: the placeholder tells
the staff what was there, the notice tells the customer to revoke it.
"""

from __future__ import annotations

import dataclasses
import logging
import re

from core.desk.context import Desk, actor_of
from core.desk.people import membership
from core.messages import Address, CommandText, Inbound, IncomingMessage, Outbound, Reply, ReplyKind
from core.privacy.records import REQUESTED, PrivacyAudit, subject_of
from core.privacy.redaction import SECRET_KINDS

log = logging.getLogger("helpline.privacy")

_PLACEHOLDER = re.compile(r"\[([a-z][a-z0-9-]{0,30})\]")
_NAMES = {
    "github-token": "a GitHub token",
    "slack-token": "a Slack token",
    "aws-key": "an AWS key",
    "stripe-key": "a Stripe key",
    "google-key": "a Google API key",
    "api-key": "an API key",
    "jwt": "a signed token (JWT)",
    "private-key": "a private key",
    "password": "a password",
}


def notice_text(kinds: tuple[str, ...]) -> str:
    """What the customer is told when their message held ``kinds`` of credentials."""
    names = [_NAMES.get(kind, kind) for kind in kinds]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return (
        f"Your message looked like it contained {listed}. I removed it before saving the message, so the team "
        "sees a placeholder instead. If it was real, revoke it and create a new one: it has been on the platform "
        "you sent it through."
    )


class PrivacyDoor:
    """Redacts an inbound message's text; says once per thread when a credential was removed."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk

    async def screen(self, message: Inbound) -> tuple[Inbound, Reply | None]:
        """``message`` with its text redacted, and the notice to send with the replies (or None)."""
        if not isinstance(message, IncomingMessage | CommandText) or not isinstance(message.text, str):
            return message, None
        found = self.desk.redactor.redact(message.text)
        if found.kinds:
            log.info("removed %s from a message of %s", ", ".join(found.kinds), actor_of(message))
            await self._keep_original(message, found.kinds)
            message = dataclasses.replace(message, text=found.text)
        # A queued event was redacted when it was accepted: its placeholders still say what was removed.
        secrets = tuple(dict.fromkeys((*found.secrets, *_queued_secrets(found.text))))
        if not secrets or not await self._first_in_thread(message):
            return message, None
        return message, Reply(ReplyKind.INFO, notice_text(secrets))

    async def forget_me(self, message: Inbound) -> Reply:
        """Record the author's request to be erased, once; a lead carries it out with ``privacy forget``."""
        mine = actor_of(message)
        subject = subject_of(mine)
        if any(entry.subject == subject for entry in await self.desk.stores.privacy.pending()):
            return Reply(ReplyKind.INFO, "Your request to be forgotten is already with the team; nothing more to do.")
        await self.desk.stores.privacy.record(PrivacyAudit(self.desk.clock.now(), mine, REQUESTED, subject))
        log.info("%s asked to be forgotten", mine)
        await self._tell_leads(message, mine)
        return Reply(
            ReplyKind.INFO,
            "Your request is recorded. A lead reviews it; once approved, everything Helpline holds about you "
            "(and the accounts linked to yours) is erased, and only anonymous counts remain. Messages on this "
            "platform itself are not Helpline's to delete.",
        )

    async def _tell_leads(self, message: Inbound, mine: str) -> None:
        """The tier's team channel hears of the request once, with the command that carries it out."""
        tier = (await membership(self.desk, message)).tier
        text = (
            f"{message.author.name} ({mine}) asked to be forgotten. A lead reviews it and runs "
            f"`helpline privacy forget {mine}` to erase everything held about them; "
            "`helpline privacy requests` lists every waiting request."
        )
        notice = Reply(ReplyKind.WARNING, text, origin=message.address)
        await self.desk.notifier.send(Outbound(Address.parse(tier.team_channel), notice))

    async def _keep_original(self, message: IncomingMessage | CommandText, kinds: tuple[str, ...]) -> None:
        keeper = self.desk.originals
        if keeper is not None and isinstance(message.text, str):
            now = self.desk.clock.now()
            await keeper.keep(message.address, message.message_id, actor_of(message), now, message.text, kinds)

    async def _first_in_thread(self, message: Inbound) -> bool:
        address = message.address
        key = f"secret-notice:{address.workspace}/{address.channel}/{address.thread}:{message.author.id}"
        return await self.desk.stores.deliveries.claim_delivery(message.platform, key, self.desk.clock.now())


def _queued_secrets(text: str) -> tuple[str, ...]:
    return tuple(kind for kind in _PLACEHOLDER.findall(text) if kind in SECRET_KINDS)
