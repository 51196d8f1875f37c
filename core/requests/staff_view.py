"""The requests as staff read them (the dashboard's Requests pages): the list by status with a search and a
chosen order, each with its numbers, and one request with its voters, history and merges.

The numbers are the board's (``RequestBoard``), the same as ``request show`` and the roadmap.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.requests.records import RequestStatus

if TYPE_CHECKING:
    from core.requests.board import Detail, RequestBoard
    from core.requests.impact import Impact
    from core.requests.records import FeatureRequest, Vote

ALL = "all"  # the status filter that lists every request, the merged ones too
SORTS = {
    "score": "weighted score",
    "votes": "votes",
    "accounts": "distinct accounts",
    "trending": "trending votes",
    "newest": "newest first",
}
NOTE_CHARS = 1000  # the longest note a status change keeps
SEARCH_CHARS = 200

Listed = tuple["FeatureRequest", "Impact"]


@dataclass(frozen=True)
class RequestQuery:
    """Which requests to list: a status (empty: every one but the merged), words to find, an order."""

    status: str = ""
    q: str = ""
    sort: str = "score"

    def statuses(self) -> tuple[RequestStatus, ...] | None:
        """The statuses the store is asked for; None for every one."""
        if self.status == ALL:
            return None
        if self.status:
            return (RequestStatus(self.status),)
        return tuple(s for s in RequestStatus if s is not RequestStatus.DUPLICATE)


def request_query(params: Mapping[str, str]) -> tuple[RequestQuery, list[str]]:
    """The query in ``params`` (``status``, ``q``, ``sort``), and what of it was not understood (ignored)."""
    problems = []
    status, sort = params.get("status", "").strip(), params.get("sort", "").strip()
    q = " ".join(params.get("q", "").split())
    if status and status != ALL and status not in {s.value for s in RequestStatus}:
        problems.append(f"No status is named {status[:60]!r}; showing every request not merged.")
        status = ""
    if sort and sort not in SORTS:
        problems.append(f"The list cannot be sorted by {sort[:60]!r}; sorted by weighted score.")
        sort = ""
    if len(q) > SEARCH_CHARS:
        problems.append(f"Searched for the first {SEARCH_CHARS} characters only.")
        q = q[:SEARCH_CHARS]
    return RequestQuery(status, q, sort or "score"), problems


def found(request: FeatureRequest, q: str) -> bool:
    """Whether every word of ``q`` is in the request's title, description or requester's name (any case)."""
    text = f"{request.title}\n{request.description}\n{request.requester.name}".casefold()
    return all(word in text for word in q.casefold().split())


async def staff_listing(board: RequestBoard, query: RequestQuery) -> list[Listed]:
    """The requests ``query`` asks for, with their numbers, in its order."""
    listed = [(r, i) for r, i in await board.listing(query.statuses()) if found(r, query.q)]
    if query.sort == "score":  # the board's own order
        return listed
    return sorted(listed, key=_KEYS[query.sort])


async def status_counts(board: RequestBoard) -> dict[RequestStatus, int]:
    """How many requests each status has."""
    counts = dict.fromkeys(RequestStatus, 0)
    for request in await board.store.requests():
        counts[request.status] += 1
    return counts


@dataclass(frozen=True)
class RequestPage:
    """One request's page: the board's detail, the votes that count for it, and what it is merged into."""

    detail: Detail
    voters: list[Vote]  # oldest first; ``Vote.request`` names a merged request a vote came through
    merged_into: FeatureRequest | None


async def request_page(board: RequestBoard, number: int) -> RequestPage:
    """Request ``number``'s page; ``RequestNotFoundError`` if there is none."""
    detail = await board.detail(number)
    voters = (await board.store.votes([number]))[number]
    target = detail.request.duplicate_of
    merged_into = await board.store.get(target) if target is not None else None
    return RequestPage(detail, voters, merged_into)


_KEYS: dict[str, Callable[[Listed], tuple[float | int, ...]]] = {
    "votes": lambda ri: (-ri[1].votes, -ri[1].score, ri[0].number),
    "accounts": lambda ri: (-ri[1].accounts, -ri[1].score, ri[0].number),
    "trending": lambda ri: (-ri[1].trending, -ri[1].score, ri[0].number),
    "newest": lambda ri: (-ri[0].number,),
}
