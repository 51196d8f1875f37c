"""Feature requests at the desk: asking (with one confirmation, or a vote for a close one), votes, statuses,
merges and the roadmap. Status notices go through the outbox, written with the change."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from core.desk.context import actor_of
from core.desk.people import linked_identities
from core.desk.request_issues import RequestTracking
from core.errors import HelplineError
from core.messages import Action, Choice, ChoiceMessage, Inbound, IncomingMessage, Reply, ReplyKind, not_offered
from core.requests.board import RequestBoard
from core.requests.commands import (
    FileRequest,
    LinkRequestIssue,
    MergeRequests,
    RequestCommand,
    Roadmap,
    SetRequestStatus,
    ShowRequest,
    UnmergeRequest,
    Unvote,
    VoteFor,
)
from core.requests.matching import OPEN_TO_VOTES, RequestMatcher
from core.requests.records import TEXT_CHARS, NewRequest, Requester, RequestStatus
from core.requests.wording import (
    numbers,
    short,
    title_of,
    vote_choice,
    withdraw_choice,
)
from core.tickets.records import ConversationMessage, Role, raw_bytes

if TYPE_CHECKING:
    from core.desk.context import Desk
    from core.requests.ports import FeatureRequests
    from core.requests.records import FeatureRequest

FEATURE_INTENT = "feature_request"
# The offer's way out when it misread the message: the words become an ordinary ticket, nothing is lost.
NOT_A_REQUEST = Choice("No, open a ticket instead", Action.OPEN_TICKET)


class RequestDesk:
    """Runs the feature-request commands and choices for every platform alike."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self._matcher = RequestMatcher(desk.embedder) if desk.embedder is not None else None
        self.board = RequestBoard(desk.stores.feature_requests, desk.clock, desk.requests, desk.stores.links)
        self.tracking = RequestTracking(desk, self.board)

    @property
    def _store(self) -> FeatureRequests:
        return self.desk.stores.feature_requests

    async def command(self, message: Inbound, command: RequestCommand) -> Reply:
        """Run one feature-request command (who may run which is checked by the caller)."""
        match command:
            case FileRequest(text=text):
                return await self.offer(message, text)
            case VoteFor(number=number):
                return await self.vote(message, number)
            case Unvote(number=number):
                return await self.unvote(message, number)
            case Roadmap():
                return await self.board.roadmap()
            case ShowRequest(number=number):
                return await self.board.show(number)
            case SetRequestStatus(number=number, status=status, note=note):
                return await self.board.set_status(number, RequestStatus(status), note.strip(), actor_of(message))
            case MergeRequests(source=source, target=target):
                return await self.board.merge(source, target, actor_of(message))
            case UnmergeRequest(number=number):
                return await self.board.unmerge(number, actor_of(message))
            case LinkRequestIssue(number=number, issue=issue):
                return await self.tracking.link_command(message, number, issue)
        raise HelplineError(f"unsupported command: {command!r}")

    async def choose(self, message: ChoiceMessage) -> Reply:
        """A vote, a withdrawal, or "Record it" picked under one of our replies."""
        if message.ticket is None:
            return not_offered(message.action.value)
        if message.action is Action.VOTE:
            return await self.vote(message, message.ticket)
        if message.action is Action.UNVOTE:
            return await self.unvote(message, message.ticket)
        return await self.file(message, message.ticket)

    async def offer(self, message: Inbound, text: str) -> Reply:
        """Keep ``text`` as a draft and ask to record it, offering instead a vote for the closest requests."""
        words = " ".join(text.split()) if "\n" not in text else text.strip()
        if not words:
            return Reply(ReplyKind.ERROR, 'Say what you would like, e.g. "feature dark mode for the dashboard".')
        words = words[:TEXT_CHARS]
        d = self.desk
        draft = await self._store.draft(NewRequest(title_of(words), words, self.requester(message), d.clock.now()))
        record = Choice("Record it as a new request", Action.FILE_REQUEST, draft.id)
        await self._keep(message, words)
        close = await self._similar(words)
        if not close:
            text = f"Record this as a feature request? “{short(words, 200)}”"
            return Reply(ReplyKind.INFO, text, choices=(record, NOT_A_REQUEST))
        best = close[0]
        text_ = (
            f"This sounds like feature request #{best.number} '{best.title}'. Vote for it instead, so the team "
            "sees how many want it, or record yours as a new request?"
        )
        return Reply(ReplyKind.INFO, text_, choices=(*(vote_choice(r) for r in close), record, NOT_A_REQUEST))

    async def _keep(self, message: Inbound, words: str) -> None:
        """Keep a typed ``feature`` command's words in the conversation, so "open a ticket instead" carries them
        (a message read as a wish is kept already)."""
        if isinstance(message, IncomingMessage):
            return
        d = self.desk
        kept = ConversationMessage(message.address, message.author.id, message.author.name, Role.CUSTOMER, words,
                                   d.clock.now(), raw=raw_bytes(words), external_id=message.message_id)  # fmt: skip
        await d.stores.conversations.record_message(kept)

    async def file(self, message: Inbound, draft: int) -> Reply:
        """ "Record it": the draft becomes a request with its requester's vote, once."""
        filed = await self._store.file_draft(draft, actor_of(message))
        if filed is None:
            return Reply(ReplyKind.ERROR, "Only the person who asked can record that request.")
        request, new = filed
        if new:
            await self.tracking.filed(request)
        if not new:
            return Reply(ReplyKind.INFO, f"That is already feature request #{request.number} '{request.title}'.")
        text = (
            f"Recorded as feature request #{request.number} '{request.title}', with your vote. Others can vote "
            f"with: vote {request.number}. You will be told here when its status changes."
        )
        return Reply(ReplyKind.INFO, text)

    async def vote(self, message: Inbound, number: int) -> Reply:
        """Count the author's vote (a vote for a merged request counts for the one it was merged into)."""
        request = await self.board.require(number)
        moved, seen = "", {number}
        # Merged, perhaps into one merged later itself: the vote goes to the end of the chain.
        while request.duplicate_of is not None and request.duplicate_of not in seen:
            seen.add(request.duplicate_of)
            request = await self.board.require(request.duplicate_of)
            moved = f"#{number} was merged into #{request.number}, so your vote counts there. "
        if request.status not in OPEN_TO_VOTES:
            return Reply(ReplyKind.INFO, f"{moved}Feature request #{request.number} is {request.status}: no votes.")
        mine = await linked_identities(self.desk, message)
        voted = (await self._store.votes([request.number]))[request.number]
        counted = not any(vote.voter.identity in mine for vote in voted) and await self._store.vote(
            request.number, self.requester(message), self.desk.clock.now()
        )  # a person votes once, whichever of their linked identities they vote from
        tally = await self.board.impact(request.number)
        if not counted:
            said = f"You already voted for #{request.number} '{request.title}' ({numbers(tally)})."
            return Reply(ReplyKind.INFO, moved + said, choices=(withdraw_choice(request.number),))
        said = f"Your vote for #{request.number} '{request.title}' is counted ({numbers(tally)})."
        return Reply(ReplyKind.INFO, moved + said, choices=(withdraw_choice(request.number),))

    async def unvote(self, message: Inbound, number: int) -> Reply:
        """Withdraw the author's vote."""
        request = await self.board.require(number)
        target = request.duplicate_of or number
        withdrawn = [
            await self._store.unvote(target, identity) for identity in await linked_identities(self.desk, message)
        ]
        if not any(withdrawn):
            return Reply(ReplyKind.INFO, f"You have no vote on #{target} to withdraw.")
        return Reply(ReplyKind.INFO, f"Your vote for #{target} is withdrawn.", choices=(vote_choice(request),))

    def requester(self, message: Inbound) -> Requester:
        """Who wrote ``message``: identity, name, account and their own tier (for the score), and where."""
        member = self.desk.tiers.resolve(message)
        tier = (member.elsewhere or member.tier).name
        return Requester(actor_of(message), message.author.name, member.customer, tier, message.address,
                         message.message_id)  # fmt: skip

    async def _similar(self, text: str) -> list[FeatureRequest]:
        if self._matcher is None:
            return []
        policy, matcher = self.desk.requests, self._matcher
        candidates = await self._store.requests(tuple(OPEN_TO_VOTES))
        found = await asyncio.to_thread(matcher.similar, text, candidates, policy.duplicate_score, policy.suggestions)
        return [match.request for match in found]
