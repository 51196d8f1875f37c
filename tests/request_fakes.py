"""An in-memory ``FeatureRequests`` with the rules the SQL store keeps (one vote per identity, drafts filed once)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from core.requests.records import (
    Draft,
    FeatureRequest,
    IssueLink,
    Merge,
    NewRequest,
    Requester,
    RequestNotFoundError,
    RequestStatus,
    StatusChange,
    Vote,
)
from core.requests.rules import RequestError, counted, group_of, merge_problem
from tests.store_state import MemoryState, utc

if TYPE_CHECKING:
    from core.messages import Address
    from core.requests.ports import Notices


class InMemoryFeatureRequests:
    """Requests in dicts; status notices are queued in ``state``'s outbox, the one the in-memory outbox drains."""

    def __init__(self, state: MemoryState | None = None) -> None:
        self._state = state if state is not None else MemoryState()
        self.drafts: dict[int, Draft] = {}
        self.items: dict[int, FeatureRequest] = {}
        self.all_votes: list[Vote] = []
        self.changes: list[StatusChange] = []
        self.merge_log: list[Merge] = []

    async def draft(self, request: NewRequest) -> Draft:
        """Keep a request written but not yet confirmed."""
        kept = Draft(len(self.drafts) + 1, replace(request, at=utc(request.at)))
        self.drafts[kept.id] = kept
        return kept

    async def file_draft(self, draft: int, identity: str) -> tuple[FeatureRequest, bool] | None:
        """File the draft once, with its requester's vote; only its writer may."""
        found = self.drafts.get(draft)
        if found is None or found.request.requester.identity != identity:
            return None
        if found.filed_as is not None:
            return self.items[found.filed_as], False
        new = found.request
        number = len(self.items) + 1
        filed = FeatureRequest(number, new.title, new.description, new.requester, RequestStatus.OPEN, new.at, new.at)
        self.items[number] = filed
        self.drafts[draft] = replace(found, filed_as=number)
        self.all_votes.append(Vote(number, new.requester, new.at))
        return filed, True

    async def get(self, number: int) -> FeatureRequest | None:
        """Request ``number``, if there is one."""
        return self.items.get(number)

    async def requests(self, statuses: Sequence[RequestStatus] | None = None) -> list[FeatureRequest]:
        """Every request (of ``statuses``), by number."""
        return [r for n, r in sorted(self.items.items()) if statuses is None or r.status in statuses]

    async def vote(self, number: int, voter: Requester, at: datetime, comment: str = "") -> bool:
        """Count ``voter`` once for ``number`` (and the requests merged into it)."""
        if number not in self.items:
            raise RequestNotFoundError(number)
        if any(v.voter.identity == voter.identity for v in self._group_votes(number)):
            return False
        self.all_votes.append(Vote(number, voter, utc(at), comment))
        return True

    async def unvote(self, number: int, identity: str) -> bool:
        """Withdraw ``identity``'s vote on ``number`` and its merged requests."""
        group = group_of(number, self.merge_log)
        before = len(self.all_votes)
        self.all_votes = [v for v in self.all_votes if not (v.request in group and v.voter.identity == identity)]
        return len(self.all_votes) < before

    async def voters_since(self, identities: Sequence[str], since: datetime) -> set[str]:
        """Who among ``identities`` voted from ``since`` on."""
        return {v.voter.identity for v in self.all_votes if v.voter.identity in identities and v.at >= since}

    async def votes(self, numbers: Sequence[int]) -> dict[int, list[Vote]]:
        """The votes that count for each request, one per identity."""
        return {number: counted(self._group_votes(number)) for number in numbers}

    async def change_status(
        self, number: int, expected: RequestStatus, new: RequestStatus, note: str, by: str, at: datetime,
        notices: Notices,
    ) -> StatusChange | None:  # fmt: skip
        """Move the request from ``expected`` to ``new`` and queue its notices, together."""
        current = self.items.get(number)
        if current is None:
            raise RequestNotFoundError(number)
        if current.status is not expected:
            return None
        change = StatusChange(number, expected, new, note, by, utc(at))
        changed = replace(current, status=new, note=note, updated_at=change.at)
        queued = notices(changed, change, counted(self._group_votes(number)))  # built first: a failure keeps nothing
        self.items[number] = changed
        self.changes.append(change)
        for notice in queued:
            self._state.enqueue(None, None, notice)
        return change

    async def history(self, number: int) -> list[StatusChange]:
        """The request's status changes, oldest first."""
        return [c for c in self.changes if c.request == number]

    async def merge(self, source: int, target: int, by: str, at: datetime) -> Merge:
        """Make ``source`` a duplicate of ``target``."""
        first, second = self._require(source), self._require(target)
        problem = merge_problem(first, second)
        if problem is not None:
            raise RequestError(problem)
        merge = Merge(source, target, first.status, by, utc(at))
        self.merge_log.append(merge)
        self.items[source] = replace(first, status=RequestStatus.DUPLICATE, duplicate_of=target, updated_at=merge.at)
        return merge

    async def unmerge(self, source: int, by: str, at: datetime) -> Merge | None:
        """Undo ``source``'s standing merge."""
        for index, merge in enumerate(self.merge_log):
            if merge.source == source and merge.undone_at is None:
                undone = replace(merge, undone_at=utc(at))
                self.merge_log[index] = undone
                current = self.items[source]
                self.items[source] = replace(current, status=merge.previous, duplicate_of=None, updated_at=utc(at))
                return undone
        return None

    async def merges(self, number: int) -> list[Merge]:
        """The standing merges into ``number``."""
        return [m for m in self.merge_log if m.target == number and m.undone_at is None]

    def _require(self, number: int) -> FeatureRequest:
        if number not in self.items:
            raise RequestNotFoundError(number)
        return self.items[number]

    def _group_votes(self, number: int) -> list[Vote]:
        group = group_of(number, self.merge_log)
        return [v for v in self.all_votes if v.request in group]


class InMemoryRequestIssues:
    """The tracker issues that follow requests, in a dict: one issue per request, one request per issue."""

    def __init__(self) -> None:
        self.links: dict[int, IssueLink] = {}

    async def link(self, link: IssueLink) -> IssueLink:
        """Replace the request's link; refused when the issue follows another request."""
        other = await self.request_at(link.issue)
        if other is not None and other.request != link.request:
            raise RequestError(f"That issue already follows feature request #{other.request}.")
        self.links[link.request] = replace(link, at=utc(link.at))
        return self.links[link.request]

    async def issue_of(self, number: int) -> IssueLink | None:
        """The issue that follows request ``number``, if any."""
        return self.links.get(number)

    async def request_at(self, issue: Address) -> IssueLink | None:
        """The link of the request the issue at ``issue`` follows, if any."""
        return next((link for link in self.links.values() if link.issue == issue), None)

    async def linked(self, limit: int) -> list[IssueLink]:
        """Up to ``limit`` links, by request number."""
        return [self.links[n] for n in sorted(self.links)][:limit]
