"""The one door into the core: every platform's messages, commands and choices go in here and replies come out."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from core.desk.context import Desk, actor_of
from core.desk.conversation import Conversation
from core.desk.moderation import Moderation
from core.errors import HelplineError
from core.messages import Action, Choice, IncomingMessage, Reply, ReplyKind

log = logging.getLogger("helpline.desk")

APOLOGY = (
    "Sorry, something went wrong on our side and your message could not be handled. "
    "Please try again in a moment; if it keeps happening, tell the team."
)


class SupportDesk:
    """Turns one incoming message into replies; errors become a short reply, never a crash."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self._conversation = Conversation(desk)
        self._moderation = Moderation(desk)

    async def handle(self, message: IncomingMessage) -> Sequence[Reply]:
        """The replies to ``message`` (none for a duplicated delivery)."""
        try:
            if message.command:
                return await self._moderation.handle(message)
            if message.choice is not None:
                return await self._choose(message)
            return await self._conversation.handle(message)
        except HelplineError as exc:
            return [Reply(ReplyKind.ERROR, str(exc))]
        except Exception:
            log.exception("failed to handle a %s message from %s", message.platform, actor_of(message))
            return [Reply(ReplyKind.ERROR, APOLOGY)]

    async def _choose(self, message: IncomingMessage) -> Sequence[Reply]:
        try:
            action, number = Choice.parse_value(message.choice or "")
        except ValueError:
            return [Reply(ReplyKind.ERROR, f"{message.choice!r} is not a choice I offered.")]
        if action is Action.CLAIM:
            return await self._moderation.handle_text(message, f"claim {number}")
        if action is Action.ACKNOWLEDGE:
            return await self._moderation.handle_text(message, f"ack {number}")
        return await self._conversation.choose(message, action)
