"""The requests as the team moves them on, in chat and from the command line alike: statuses (with their
notices), merges, one request shown, the list and the roadmap, each with its numbers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol

from core.messages import Reply, ReplyKind
from core.requests.impact import Impact, RequestPolicy, impact, ranked
from core.requests.matching import OPEN_TO_VOTES
from core.requests.records import ROADMAP_ORDER, RequestNotFoundError, RequestStatus, Vote
from core.requests.rules import per_person
from core.requests.wording import numbers, request_line, roadmap_reply, status_notices, vote_choice

if TYPE_CHECKING:
    from collections.abc import Sequence

    from core.customers.records import Person
    from core.messages import Outbound
    from core.ports import Clock
    from core.requests.ports import FeatureRequests
    from core.requests.records import FeatureRequest, Merge, StatusChange


_FIRST = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Detail:
    """One request with everything shown about it."""

    request: FeatureRequest
    impact: Impact
    history: list[StatusChange]
    merged: list[Merge]


class People(Protocol):
    """Who is who across platforms (``CustomerLinks``): the person an identity is linked into, if any."""

    async def person_of(self, identity: str) -> Person | None:
        """The person ``identity`` belongs to; None when it is linked to no other."""
        ...


class RequestBoard:
    """Moves requests on and reads them back with their numbers; the caller checks who may.

    With ``people``, a person's linked identities count once in every number and notice.
    """

    def __init__(
        self, store: FeatureRequests, clock: Clock, policy: RequestPolicy, people: People | None = None
    ) -> None:
        self.store, self.clock, self.policy, self.people = store, clock, policy, people

    async def persons(self, votes: Sequence[Vote]) -> dict[str, str]:
        """Each voter's identity → their person's id, for the identities linked into a person."""
        found: dict[str, str] = {}
        if self.people is None:
            return found
        for identity in dict.fromkeys(vote.voter.identity for vote in votes):
            person = await self.people.person_of(identity)
            if person is not None:
                found[identity] = person.id
        return found

    async def counted_votes(self, numbers_: Sequence[int]) -> dict[int, list[Vote]]:
        """The votes that count for each request, one per person."""
        votes = await self.store.votes(numbers_)
        persons = await self.persons([vote for found in votes.values() for vote in found])
        return {n: per_person(found, persons) for n, found in votes.items()}

    async def require(self, number: int) -> FeatureRequest:
        """Request ``number``; ``RequestNotFoundError`` if there is none."""
        found = await self.store.get(number)
        if found is None:
            raise RequestNotFoundError(number)
        return found

    async def impacts(self, numbers_: Sequence[int]) -> dict[int, Impact]:
        """Each request's numbers now."""
        votes, now = await self.counted_votes(numbers_), self.clock.now()
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
        persons = await self.persons([*(await self.store.votes([number]))[number], _own(request)])

        def notices(changed: FeatureRequest, change: StatusChange, votes: list[Vote]) -> list[Outbound]:
            """One notice per person: a voter linked to the requester (or another voter) is told once."""
            kept = [v for v in per_person([_own(changed), *votes], persons) if v.voter != changed.requester]
            return status_notices(changed, change, kept)

        change = await self.store.change_status(number, request.status, status, note, by, self.clock.now(), notices)
        if change is None:
            return Reply(ReplyKind.ERROR, f"#{number} changed while this was asked; look at it again.")
        voters = (await self.counted_votes([number]))[number]
        told = len({persons.get(i, i) for i in {v.voter.identity for v in voters} | {request.requester.identity}})
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


def _own(request: FeatureRequest) -> Vote:
    """The requester as the earliest vote, so a voter linked to them is folded into them."""
    return Vote(request.number, request.requester, _FIRST)
