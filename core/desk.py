"""The support desk: every platform's messages go in here and replies come out."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Protocol

from core.errors import HelplineError
from core.messages import Author, IncomingMessage, Reply, ReplyKind

if TYPE_CHECKING:
    from core.intents import IntentCatalog
    from core.ports import Clock, Notifier, SearchHit, TicketStore
    from core.tiers import TierDirectory
    from core.understanding import Understanding

log = logging.getLogger("helpline.desk")

APOLOGY = (
    "Sorry, something went wrong on our side and your message could not be handled. "
    "Please try again in a moment; if it keeps happening, tell the team."
)


class MessageUnderstander(Protocol):
    """Classifies a message and finds knowledge-base passages for it (``core.understanding.Understander``)."""

    def understand(self, raw: str | bytes) -> Understanding:
        """What the core knows about ``raw``."""
        ...


class AddedArticleInfo(Protocol):
    """What ``kb add`` reports back."""

    @property
    def title(self) -> str:
        """The article's title."""
        ...

    @property
    def chunks(self) -> int:
        """How many passages it was split into."""
        ...


class KnowledgeEditor(Protocol):
    """The knowledge base as moderators use it: search it and add to it."""

    def search_text(self, text: str, k: int) -> list[SearchHit]:
        """The ``k`` passages nearest to ``text``."""
        ...

    def add_article(self, title: str, body: str, author: str) -> AddedArticleInfo:
        """Add an article and make it searchable at once."""
        ...


@dataclass(frozen=True)
class Moderators:
    """Who may run moderator commands: anyone with one of ``roles``, or a listed ``platform:user-id``."""

    roles: frozenset[str] = frozenset({"moderator"})
    users: frozenset[str] = frozenset()

    def allows(self, platform: str, author: Author) -> bool:
        """True if ``author`` on ``platform`` is a moderator (role names compared ignoring case)."""
        wanted = {role.casefold() for role in self.roles}
        return any(role.casefold() in wanted for role in author.roles) or f"{platform}:{author.id}" in self.users


@dataclass(frozen=True)
class DeskPolicy:
    """Tunable choices of the desk."""

    # Below this similarity a passage is not offered as the answer.
    answer_score: float = 0.45
    # How much of a thread travels onto a ticket opened from it.
    history_limit: int = 50
    extract_chars: int = 320
    # One member may open at most this many tickets within the window; 0 means no limit.
    ticket_limit: int = 3
    ticket_window: timedelta = timedelta(minutes=10)


@dataclass
class Desk:
    """The desk's dependencies, shared by the conversation and the moderator commands."""

    understander: MessageUnderstander
    catalog: IntentCatalog
    tiers: TierDirectory
    store: TicketStore
    notifier: Notifier
    clock: Clock
    knowledge: KnowledgeEditor | None = None
    moderators: Moderators = field(default_factory=Moderators)
    policy: DeskPolicy = field(default_factory=DeskPolicy)


def actor_of(message: IncomingMessage) -> str:
    """How an author is named in the audit log and as an assignee: ``platform:id``."""
    return f"{message.platform}:{message.author.id}"


class SupportDesk:
    """Turns one incoming message into replies; errors become a short reply, never a crash."""

    def __init__(self, desk: Desk) -> None:
        from core.conversation import Conversation
        from core.moderation import Moderation

        self.desk = desk
        self._conversation = Conversation(desk)
        self._moderation = Moderation(desk)

    async def handle(self, message: IncomingMessage) -> Sequence[Reply]:
        """The replies to ``message`` (none for a duplicated delivery)."""
        try:
            if message.command:
                return await self._moderation.handle(message)
            if message.choice is not None:
                return await self._conversation.choose(message)
            return await self._conversation.handle(message)
        except HelplineError as exc:
            return [Reply(ReplyKind.ERROR, str(exc))]
        except Exception:
            log.exception("failed to handle a %s message from %s", message.platform, actor_of(message))
            return [Reply(ReplyKind.ERROR, APOLOGY)]
