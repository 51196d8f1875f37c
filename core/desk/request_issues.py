"""Feature requests followed by GitHub issues at the desk: ``request github N URL|create``, the issue's 👍
reactions counted as votes (one per login, a person once), and the issue closed as completed completing its
request, its voters told once through the usual status change."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.desk.context import actor_of
from core.desk.people import membership
from core.jobs import NewJob
from core.messages import GITHUB, Author, IncomingMessage, Reply, ReplyKind
from core.requests.matching import OPEN_TO_VOTES
from core.requests.records import REACTION_LINK, IssueLink, Requester, RequestStatus
from core.requests.tracker import (
    CREATE_ISSUE,
    SYNC_REACTIONS,
    IssueJob,
    issue_at,
    issue_web_url,
    reaction_identity,
    withdrawn,
)

if TYPE_CHECKING:
    from core.desk.context import Desk
    from core.messages import Address, Inbound
    from core.requests.board import RequestBoard
    from core.requests.records import FeatureRequest

COMPLETED_NOTE = "The GitHub issue was closed as completed."


@dataclass(frozen=True)
class Synced:
    """What one reading of an issue's reactions changed: votes counted and withdrawn."""

    added: int
    withdrawn: int


class RequestTracking:
    """Links requests to GitHub issues and keeps their votes and completion in step with the issue."""

    def __init__(self, desk: Desk, board: RequestBoard) -> None:
        self.desk, self.board = desk, board

    async def link_command(self, message: Inbound, number: int, target: str) -> Reply:
        """``request github N URL`` links an existing issue; ``request github N create`` has the bot open one."""
        request = await self.board.require(number)
        d = self.desk
        if target.strip().lower() == "create":
            return await self._create(message, number)
        issue = issue_at(target)
        if issue is None:
            return Reply(ReplyKind.ERROR, f"{target.strip()!r} is not a GitHub issue's URL, like "
                                          "https://github.com/OWNER/REPO/issues/12, nor create.")  # fmt: skip
        link = IssueLink(number, issue, target.strip(), actor_of(message), d.clock.now())
        await d.stores.request_issues.link(link)
        await self._queue(SYNC_REACTIONS, f"link:{number}:{issue}:{d.clock.now().isoformat()}", _job(link))
        return Reply(ReplyKind.INFO, f"Feature request #{number} '{request.title}' now follows {link.url}: its 👍 "
                                     "count as votes, and closing it as completed completes the request.")  # fmt: skip

    async def _create(self, message: Inbound, number: int) -> Reply:
        policy, d = self.desk.requests, self.desk
        if not policy.issue_repo:
            return Reply(ReplyKind.ERROR, "No repository to create issues in: set requests.github_repo.")
        linked = await d.stores.request_issues.issue_of(number)
        if linked is not None:
            return Reply(ReplyKind.INFO, f"Feature request #{number} already follows {linked.url}.")
        job = IssueJob(number, policy.issue_repo, label=policy.issue_label, by=actor_of(message))
        if not await self._queue(CREATE_ISSUE, f"create:{number}", job):
            return Reply(ReplyKind.INFO, f"An issue for feature request #{number} is being created already.")
        return Reply(ReplyKind.INFO, f"A GitHub issue for feature request #{number} will be opened in "
                                     f"{policy.issue_repo} with the label {policy.issue_label}.")  # fmt: skip

    async def created(self, job: IssueJob, url: str) -> IssueLink:
        """The bot opened the request's issue: it follows the request from now on."""
        link = IssueLink(job.request, job.address, url, job.by, self.desk.clock.now())
        return await self.desk.stores.request_issues.link(link)

    async def filed(self, request: FeatureRequest) -> None:
        """A request recorded from a GitHub issue (an enhancement) is followed by that issue."""
        issue = request.requester.address
        if issue.platform != GITHUB or not issue.thread.isdigit():
            return
        if await self.desk.stores.request_issues.request_at(issue) is not None:
            return
        by = request.requester.identity
        link = IssueLink(request.number, issue, issue_web_url(issue), by, self.desk.clock.now())
        await self.desk.stores.request_issues.link(link)
        await self._queue(SYNC_REACTIONS, f"filed:{request.number}", _job(link))

    async def request_of(self, issue: Address) -> int | None:
        """The request the issue follows, if any."""
        link = await self.desk.stores.request_issues.request_at(issue)
        return link.request if link is not None else None

    async def sync(self, issue: Address, logins: Sequence[str]) -> Synced:
        """The issue's 👍 now come from ``logins``: count the new ones, withdraw the ones taken back."""
        link = await self.desk.stores.request_issues.request_at(issue)
        if link is None:
            return Synced(0, 0)
        store, number = self.desk.stores.feature_requests, link.request
        request = await self.board.require(number)
        votes = (await store.votes([number]))[number]
        gone = withdrawn(votes, logins)
        for identity in gone:
            await store.unvote(number, identity)
        added = 0
        if request.status in OPEN_TO_VOTES:
            persons = await self.board.persons(votes)
            counted = {persons.get(v.voter.identity, v.voter.identity).lower() for v in votes}
            for login in dict.fromkeys(logins):
                voter = await self._voter(issue, login)
                person = await self.desk.stores.links.person_of(voter.identity)
                if (person.id if person is not None else voter.identity).lower() in counted:
                    continue  # this person counts already (from chat, a linked identity or an earlier 👍)
                added += await store.vote(number, voter, self.desk.clock.now())
        return Synced(added, len(gone))

    async def completed(self, issue: Address, actor: str) -> Reply | None:
        """The issue was closed as completed: its request is completed (voters told once); None if none follows."""
        link = await self.desk.stores.request_issues.request_at(issue)
        if link is None:
            return None
        request = await self.board.require(link.request)
        if request.status in (RequestStatus.COMPLETED, RequestStatus.DUPLICATE, RequestStatus.DECLINED):
            return None  # already done, merged or declined: a closing does not overrule the team
        return await self.board.set_status(link.request, RequestStatus.COMPLETED, COMPLETED_NOTE, actor)

    async def _voter(self, issue: Address, login: str) -> Requester:
        """A reacting login as a voter, with their account and tier (a linked person's first)."""
        message = IncomingMessage(issue, Author(login, login), "", f"reaction:{login}")
        member = await membership(self.desk, message)
        tier = (member.elsewhere or member.tier).name
        return Requester(reaction_identity(login), login, member.customer, tier, issue, REACTION_LINK)

    async def _queue(self, kind: str, key: str, job: IssueJob) -> bool:
        now = self.desk.clock.now()
        conversation = str(job.address) if job.issue else ""
        return await self.desk.stores.jobs.enqueue(NewJob(GITHUB, key, kind, job.encode(), now, conversation), now)


def _job(link: IssueLink) -> IssueJob:
    return IssueJob(link.request, f"{link.issue.workspace}/{link.issue.channel}", int(link.issue.thread), by=link.by)
