"""The one door into the core: every platform's messages, commands and choices go in here and replies come out.

Adapters also ask their questions here ("is this thread ours?", "who holds ticket N?", "was this
delivery seen?"), so none of them reaches the store or the clock.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from core.commands import BY_WORDS, CommandError
from core.desk.choices import Choices
from core.desk.context import Desk, actor_of
from core.desk.conversation import Conversation
from core.desk.issues import IssueDesk
from core.desk.journeys import JourneyDesk
from core.desk.moderation import Moderation
from core.desk.privacy import PrivacyDoor
from core.desk.requests import RequestDesk
from core.desk.surveys import SurveyDesk
from core.errors import HelplineError
from core.messages import (
    Action,
    ChoiceMessage,
    CommandMessage,
    CommandText,
    Inbound,
    IncomingMessage,
    Reply,
    ReplyKind,
)
from core.requests.tracker import request_marker

if TYPE_CHECKING:
    from core.desk.issues import Triage
    from core.desk.request_issues import Synced
    from core.messages import Address, Author
    from core.requests.tracker import IssueJob
    from core.tickets.records import Ticket

log = logging.getLogger("helpline.desk")

APOLOGY = (
    "Sorry, something went wrong on our side and your message could not be handled. "
    "Please try again in a moment; if it keeps happening, tell the team."
)
# Choices that are moderator commands on the choice's ticket.
_COMMAND_CHOICES = {Action.CLAIM: BY_WORDS["claim"], Action.ACKNOWLEDGE: BY_WORDS["ack"]}
_REQUEST_CHOICES = frozenset({Action.VOTE, Action.UNVOTE, Action.FILE_REQUEST})


class SupportDesk:
    """Turns one inbound message into replies; errors become a short reply, never a crash."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self._requests = RequestDesk(desk)  # one, so its embeddings of the requests are made once
        self._conversation = Conversation(desk, self._requests)
        self._choices = Choices(desk, self._conversation)
        self._moderation = Moderation(desk, self._requests)
        self._issues = IssueDesk(desk)
        self._surveys = SurveyDesk(desk)
        self._privacy = PrivacyDoor(desk)
        self._journeys = JourneyDesk(desk)

    async def handle(self, message: Inbound) -> Sequence[Reply]:
        """The replies to ``message`` (none for a duplicated delivery)."""
        try:
            message, notice = await self._privacy.screen(message)
            replies = await self._dispatch(message)
        except HelplineError as exc:
            return [Reply(ReplyKind.ERROR, str(exc))]
        except Exception:
            log.exception("failed to handle a %s message from %s", message.platform, actor_of(message))
            return [Reply(ReplyKind.ERROR, APOLOGY)]
        return replies if notice is None else [*replies, notice]

    async def _dispatch(self, message: Inbound) -> Sequence[Reply]:
        match message:
            case CommandText():
                return await self._moderation.handle(message)
            case CommandMessage():
                return await self._moderation.run(message, message.command)
            case ChoiceMessage():
                return await self._choose(message)
            case IncomingMessage():
                await self._journeys.replied(message)
                comment = await self._surveys.comment(message)
                return comment if comment is not None else await self._conversation.handle(message)

    async def _choose(self, message: ChoiceMessage) -> Sequence[Reply]:
        if message.action is Action.RATE:
            return await self._surveys.choose(message)
        if message.action is Action.BOOK_CALL:
            return [await self._moderation.calls.book(message)]
        if message.action in _REQUEST_CHOICES:
            return [await self._requests.choose(message)]
        spec = _COMMAND_CHOICES.get(message.action)
        if spec is not None:
            return await self._moderation.choose(message, spec)
        return await self._choices.choose(message)

    # What adapters ask the desk.

    def command_error(self, platform: str, author: Author, error: CommandError) -> Reply:
        """The answer to a command an adapter could not build: the error for a moderator, else the refusal."""
        return self._moderation.mistyped(platform, author, error)

    @property
    def moderator_roles(self) -> frozenset[str]:
        """The roles that make someone a moderator (adapters grant them to their platform's staff)."""
        return frozenset(self.desk.moderators.roles)

    @property
    def intent_names(self) -> tuple[str, ...]:
        """The intents a moderator may give a ticket (``intent N NAME``), as the intents file lists them."""
        return tuple(intent.name for intent in self.desk.catalog.intents)

    async def first_delivery(self, platform: str, delivery_id: str, *, daily: bool = False) -> bool:
        """True the first time ``delivery_id`` is seen on ``platform`` (today's, with ``daily``); False after."""
        now = self.desk.clock.now()
        key = f"{delivery_id}:{now:%Y-%m-%d}" if daily else delivery_id
        return await self.desk.stores.deliveries.claim_delivery(platform, key, now)

    async def ticket(self, number: int) -> Ticket | None:
        """Ticket ``number``, if there is one."""
        return await self.desk.stores.tickets.get(number)

    async def assignee_of(self, number: int) -> str | None:
        """Who holds ticket ``number`` (``platform:id``); None if nobody does or there is no such ticket."""
        ticket = await self.ticket(number)
        return ticket.assignee if ticket is not None else None

    async def latest_ticket(self, address: Address) -> Ticket | None:
        """The newest ticket of a conversation, active or not."""
        return await self.desk.stores.tickets.latest_ticket_for(address)

    async def has_active_ticket(self, address: Address) -> bool:
        """True if the conversation at ``address`` has a ticket still being worked on."""
        return await self.desk.stores.tickets.active_ticket_for(address) is not None

    async def knows_thread(self, address: Address) -> bool:
        """True if Helpline already talks at ``address``: it has a ticket or a kept message there."""
        stores = self.desk.stores
        return (
            await stores.tickets.latest_ticket_for(address) is not None
            or len(await stores.conversations.conversation(address, limit=1)) > 0
        )

    # Feature requests followed by tracker issues (GitHub).

    async def request_of_issue(self, issue: Address) -> int | None:
        """The feature request the issue at ``issue`` follows, if any."""
        return await self._requests.tracking.request_of(issue)

    async def issue_reactions(self, issue: Address, logins: Sequence[str]) -> Synced:
        """The issue's 👍 now come from ``logins``: its request's votes follow them."""
        return await self._requests.tracking.sync(issue, logins)

    async def offer_request(self, message: IncomingMessage) -> Reply:
        """ "Record this as a feature request?" for ``message`` (an issue labelled as an enhancement)."""
        text = message.text.decode("utf-8", "replace") if isinstance(message.text, bytes) else message.text
        return await self._requests.offer(message, text)

    async def request_text(self, number: int) -> tuple[str, str] | None:
        """Request ``number``'s title and the text of the issue opened for it; None if there is no such request."""
        request = await self.desk.stores.feature_requests.get(number)
        if request is None:
            return None
        body = f"{request.description}\n\n{request_marker(number)}"
        return request.title, body

    async def request_issue_created(self, job: IssueJob, url: str) -> None:
        """The request's issue was opened at ``url``; it follows the request from now on."""
        await self._requests.tracking.created(job, url)

    async def issue_completed(self, issue: Address, actor: str) -> Reply | None:
        """The issue was closed as completed: the request it follows is completed, its voters told once."""
        return await self._requests.tracking.completed(issue, actor)

    async def person_joined(self, address: Address, author: Author, source: str) -> bool:
        """Someone joined a server or shared channel (``source``: "discord_join", "slack_join"): start their
        onboarding journey if they are new and their tier has one; True if one started."""
        try:
            return await self._journeys.joined(address, author, source)
        except Exception:  # a join is no conversation: log it, never break the adapter's event loop
            log.exception("could not start the journey of %s:%s", address.platform, author.id)
            return False

    # Issues from a tracker (GitHub), kept in step with their tickets.

    async def triage_issue(self, message: IncomingMessage, title: str) -> Triage:
        """Open a new issue's ticket (once) and find a confident answer for it; a first issue starts a journey."""
        triage = await self._issues.triage(message, title)
        await self.person_joined(message.address, message.author, "github_issue")
        return triage

    async def issue_closed(self, address: Address, actor: str, detail: str) -> Ticket | None:
        """The issue was closed: resolve its active ticket; None if it had none."""
        return await self._issues.closed(address, actor, detail)

    async def issue_reopened(self, address: Address, actor: str, detail: str) -> Ticket | None:
        """The issue was reopened: reopen its resolved ticket; None if there was nothing to reopen."""
        return await self._issues.reopened(address, actor, detail)
