"""The rules every store of requests keeps alike: which merges may be made and which votes count where."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from core.errors import HelplineError
from core.requests.records import FeatureRequest, Merge, RequestStatus, Vote


class RequestError(HelplineError):
    """A request action that cannot be done; the text says why."""


def merge_problem(source: FeatureRequest, target: FeatureRequest) -> str | None:
    """Why ``source`` cannot be merged into ``target``; None when it can."""
    if source.number == target.number:
        return f"#{source.number} cannot be merged into itself."
    if source.status is RequestStatus.DUPLICATE:
        return f"#{source.number} is already merged into #{source.duplicate_of}; unmerge it first."
    if target.status is RequestStatus.DUPLICATE:
        return f"#{target.number} is itself merged into #{target.duplicate_of}; merge into that one."
    return None


def group_of(number: int, merges: Iterable[Merge]) -> set[int]:
    """``number`` and every request merged into it, directly or through another merged one."""
    into: dict[int, list[int]] = {}
    for merge in merges:
        if merge.undone_at is None:
            into.setdefault(merge.target, []).append(merge.source)
    group, todo = {number}, [number]
    while todo:
        for source in into.get(todo.pop(), ()):
            if source not in group:
                group.add(source)
                todo.append(source)
    return group


def counted(votes: Sequence[Vote]) -> list[Vote]:
    """One vote per identity, the earliest, oldest first."""
    first: dict[str, Vote] = {}
    for vote in sorted(votes, key=lambda v: v.at):
        first.setdefault(vote.voter.identity, vote)
    return list(first.values())


def per_person(votes: Sequence[Vote], person_of: Mapping[str, str]) -> list[Vote]:
    """One vote per person, the earliest, oldest first: linked identities (``person_of``: identity → person)
    count once; an identity with no person is its own."""
    first: dict[str, Vote] = {}
    for vote in sorted(votes, key=lambda v: v.at):
        first.setdefault(person_of.get(vote.voter.identity, vote.voter.identity), vote)
    return list(first.values())
