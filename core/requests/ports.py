"""The port that keeps feature requests, their drafts, votes, status changes and merges."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from core.messages import Address, Outbound
    from core.requests.records import (
        Draft,
        FeatureRequest,
        IssueLink,
        Merge,
        NewRequest,
        Requester,
        RequestStatus,
        StatusChange,
        Vote,
    )

# What a status change tells its people: built from the changed request and its voters, inside the change.
Notices = Callable[["FeatureRequest", "StatusChange", "list[Vote]"], "list[Outbound]"]


class RequestVoters(Protocol):
    """Who votes: what the health score's engagement part reads of the feature requests."""

    async def voters_since(self, identities: Sequence[str], since: datetime) -> set[str]:
        """Which of ``identities`` filed or voted for a request from ``since`` on (filing votes for it)."""
        ...


class FeatureRequests(RequestVoters, Protocol):
    """Requests and their votes; one vote per identity per request, kept by the database.

    Votes are keyed by identity (``platform:id``). When customers' linked identities exist, the identities of
    one person must count once: that is to be folded in ``votes`` (see docs/requests.md).
    """

    async def draft(self, request: NewRequest) -> Draft:
        """Keep a request written but not yet confirmed."""
        ...

    async def file_draft(self, draft: int, identity: str) -> tuple[FeatureRequest, bool] | None:
        """File draft ``draft`` as a request with its requester's vote, once: the request and True the first
        time, the same request and False after; None if there is no such draft or ``identity`` did not write it."""
        ...

    async def get(self, number: int) -> FeatureRequest | None:
        """Request ``number``, if there is one."""
        ...

    async def requests(self, statuses: Sequence[RequestStatus] | None = None) -> list[FeatureRequest]:
        """Every request (of ``statuses`` when given), by number."""
        ...

    async def vote(self, number: int, voter: Requester, at: datetime, comment: str = "") -> bool:
        """Count ``voter`` for request ``number``; False if they already count for it (through a merge too).

        ``RequestNotFoundError`` if there is no such request.
        """
        ...

    async def unvote(self, number: int, identity: str) -> bool:
        """Withdraw ``identity``'s vote on ``number`` and on the requests merged into it; False if it had none."""
        ...

    async def votes(self, numbers: Sequence[int]) -> dict[int, list[Vote]]:
        """The votes that count for each request: its own and its merged requests', one per identity (the
        earliest), oldest first."""
        ...

    async def change_status(
        self, number: int, expected: RequestStatus, new: RequestStatus, note: str, by: str, at: datetime,
        notices: Notices,
    ) -> StatusChange | None:  # fmt: skip
        """Move ``number`` from ``expected`` to ``new`` and queue ``notices`` in the outbox in the same
        transaction; None (nothing changed or queued) if its status is no longer ``expected``."""
        ...

    async def history(self, number: int) -> list[StatusChange]:
        """The request's status changes, oldest first."""
        ...

    async def merge(self, source: int, target: int, by: str, at: datetime) -> Merge:
        """Merge ``source`` into ``target``: it becomes a duplicate and its votes count there.

        ``RequestError`` saying why when it cannot be (the same request, already merged, a duplicate target).
        """
        ...

    async def unmerge(self, source: int, by: str, at: datetime) -> Merge | None:
        """Undo ``source``'s merge: its status and votes are its own again; None if it is not merged."""
        ...

    async def merges(self, number: int) -> list[Merge]:
        """The standing merges into request ``number``, oldest first."""
        ...


class RequestIssues(Protocol):
    """Which tracker issue (a GitHub issue) follows which request: one issue per request, one request per issue."""

    async def link(self, link: IssueLink) -> IssueLink:
        """Make ``link.issue`` the request's issue (replacing an earlier one); the link kept.

        ``RequestError`` if that issue already follows another request.
        """
        ...

    async def issue_of(self, number: int) -> IssueLink | None:
        """The issue that follows request ``number``, if any."""
        ...

    async def request_at(self, issue: Address) -> IssueLink | None:
        """The link of the request the issue at ``issue`` follows, if any."""
        ...

    async def linked(self, limit: int) -> list[IssueLink]:
        """Up to ``limit`` links, by request number (the reactions' scheduled re-read walks them)."""
        ...
