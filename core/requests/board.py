"""The requests as the team moves them on, in chat and from the command line alike: statuses (with their
notices), merges, one request shown, the list and the roadmap, each with its numbers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.messages import Reply, ReplyKind
from core.requests.impact import Impact, RequestPolicy, impact, ranked
from core.requests.matching import OPEN_TO_VOTES
from core.requests.records import ROADMAP_ORDER, RequestNotFoundError, RequestStatus
from core.requests.wording import numbers, request_line, roadmap_reply, status_notices, vote_choice

if TYPE_CHECKING:
    from collections.abc import Sequence

    from core.ports import Clock
    from core.requests.ports import FeatureRequests
    from core.requests.records import FeatureRequest, Merge, StatusChange


@dataclass(frozen=True)
class Detail:
    """One request with everything shown about it."""

    request: FeatureRequest
    impact: Impact
    history: list[StatusChange]
    merged: list[Merge]


class RequestBoard:
    """Moves requests on and reads them back with their numbers; the caller checks who may."""

    def __init__(self, store: FeatureRequests, clock: Clock, policy: RequestPolicy) -> None:
        self.store, self.clock, self.policy = store, clock, policy

    async def require(self, number: int) -> FeatureRequest:
        """Request ``number``; ``RequestNotFoundError`` if there is none."""
        found = await self.store.get(number)
        if found is None:
            raise RequestNotFoundError(number)
        return found

    async def impacts(self, numbers_: Sequence[int]) -> dict[int, Impact]:
        """Each request's numbers now."""
        votes, now = await self.store.votes(numbers_), self.clock.now()
        return {n: impact(votes[n], self.policy, now) for n in numbers_}

    async def impact(self, number: int) -> Impact:
        """One request's numbers now."""
        return (await self.impacts([number]))[number]

    async def listing(self, statuses: Sequence[RequestStatus] | None = None) -> list[tuple[FeatureRequest, Impact]]:
        """The requests (of ``statuses``) with their numbers, best score first."""
        found = await self.store.requests(statuses)
        impacts = await self.impacts([r.number for r in found])
        by_number = {r.number: r for r in found}
        return [(by_number[n], impacts[n]) for n in ranked(impacts)]

    async def detail(self, number: int) -> Detail:
        """One request with its numbers, status history and the requests merged into it."""
        request = await self.require(number)
        history, merged = await self.store.history(number), await self.store.merges(number)
        return Detail(request, await self.impact(number), history, merged)

    async def roadmap(self) -> Reply:
        """The top requests by status and score, with vote buttons."""
        shown = await self.store.requests(ROADMAP_ORDER)
        impacts = await self.impacts([r.number for r in shown])
        return roadmap_reply(shown, impacts, ranked(impacts))

    async def show(self, number: int) -> Reply:
        """One request as text, with a vote button while it takes votes."""
        d = await self.detail(number)
        request = d.request
        lines = [request_line(request, d.impact), request.description]
        lines.append(f"Asked by {request.requester.name} on {request.requester.address.platform}, "
                     f"{request.created_at:%Y-%m-%d}")  # fmt: skip
        if request.duplicate_of is not None:
            lines.append(f"Merged into #{request.duplicate_of}.")
        if d.merged:
            lines.append("Merged into it: " + ", ".join(f"#{m.source}" for m in d.merged))
        for change in d.history:
            note = f": {change.note}" if change.note else ""
            lines.append(f"  [{change.at:%Y-%m-%d}] {change.old} → {change.new} by {change.by}{note}")
        choices = (vote_choice(request),) if request.status in OPEN_TO_VOTES else ()
        return Reply(ReplyKind.INFO, "\n".join(lines), choices=choices)

    async def set_status(self, number: int, status: RequestStatus, note: str, by: str) -> Reply:
        """Move a request on; its requester and voters are told once, where they asked or voted (the outbox)."""
        request = await self.require(number)
        if request.status is RequestStatus.DUPLICATE:
            return Reply(ReplyKind.ERROR, f"#{number} is merged into #{request.duplicate_of}; unmerge it first.")
        if request.status is status:
            return Reply(ReplyKind.INFO, f"Feature request #{number} is already {status}.")
        change = await self.store.change_status(
            number, request.status, status, note, by, self.clock.now(), status_notices
        )
        if change is None:
            return Reply(ReplyKind.ERROR, f"#{number} changed while this was asked; look at it again.")
        voters = (await self.store.votes([number]))[number]
        told = len({v.voter.identity for v in voters} | {request.requester.identity})
        people = "person" if told == 1 else "people"
        return Reply(ReplyKind.INFO, f"Feature request #{number} is now {status} (was {change.old}); "
                                     f"{told} {people} will be told.")  # fmt: skip

    async def merge(self, source: int, target: int, by: str) -> Reply:
        """Merge ``source`` into ``target``: its votes, voters and their threads count there."""
        await self.store.merge(source, target, by, self.clock.now())
        tally = await self.impact(target)
        return Reply(ReplyKind.INFO, f"#{source} is merged into #{target}, which now has {numbers(tally)}. "
                                     f"Undo with: request unmerge {source}")  # fmt: skip

    async def unmerge(self, number: int, by: str) -> Reply:
        """Undo ``number``'s merge."""
        undone = await self.store.unmerge(number, by, self.clock.now())
        if undone is None:
            return Reply(ReplyKind.INFO, f"#{number} is not merged into another request.")
        return Reply(ReplyKind.INFO, f"#{number} is its own request again ({undone.previous}), "
                                     f"with {numbers(await self.impact(number))}.")  # fmt: skip
