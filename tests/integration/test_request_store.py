"""Contract tests for ``FeatureRequests``: the in-memory fake, SQLite and PostgreSQL keep the same rules."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from core.messages import Address, Outbound, Reply, ReplyKind
from core.requests.records import (
    FeatureRequest,
    NewRequest,
    Requester,
    RequestNotFoundError,
    RequestStatus,
    StatusChange,
    Vote,
)
from core.requests.rules import RequestError
from core.stores import Stores

pytestmark = pytest.mark.asyncio

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def person(name: str, account: str = "", tier: str = "community", thread: str = "t1") -> Requester:
    return Requester(
        f"slack:{name}", name.title(), account or f"slack:{name}", tier, Address("slack", "T1", "C1", thread)
    )


async def filed(store: Stores, title: str, who: Requester, minutes: int = 0) -> FeatureRequest:
    draft = await store.feature_requests.draft(
        NewRequest(title, title + " please", who, T0 + timedelta(minutes=minutes))
    )
    result = await store.feature_requests.file_draft(draft.id, who.identity)
    assert result is not None and result[1]
    return result[0]


def voters(votes: list[Vote]) -> list[str]:
    return [v.voter.identity for v in votes]


async def test_a_draft_is_filed_once_by_its_writer_with_their_vote(store: Stores) -> None:
    ana = person("ana", "acme", "enterprise")
    draft = await store.feature_requests.draft(NewRequest("Dark mode", "Dark mode for the dashboard", ana, T0))
    assert await store.feature_requests.file_draft(draft.id, "slack:bob") is None  # not theirs
    assert await store.feature_requests.file_draft(draft.id + 99, ana.identity) is None
    first, second = await asyncio.gather(
        store.feature_requests.file_draft(draft.id, ana.identity),
        store.feature_requests.file_draft(draft.id, ana.identity),
    )
    assert first is not None and second is not None
    assert sorted([first[1], second[1]]) == [False, True] and first[0].number == second[0].number
    request = first[0]
    assert (request.title, request.status, request.requester) == ("Dark mode", RequestStatus.OPEN, ana)
    assert await store.feature_requests.get(request.number) == request
    assert voters((await store.feature_requests.votes([request.number]))[request.number]) == ["slack:ana"]


async def test_one_vote_per_person_and_a_vote_can_be_withdrawn(store: Stores) -> None:
    requests = store.feature_requests
    request = await filed(store, "Dark mode", person("ana"))
    bob = person("bob", thread="t2")
    results = await asyncio.gather(*(requests.vote(request.number, bob, T0) for _ in range(3)))
    assert sorted(results) == [False, False, True]
    assert voters((await requests.votes([request.number]))[request.number]) == ["slack:ana", "slack:bob"]
    assert await requests.unvote(request.number, "slack:bob")
    assert not await requests.unvote(request.number, "slack:bob")
    assert voters((await requests.votes([request.number]))[request.number]) == ["slack:ana"]
    with pytest.raises(RequestNotFoundError):
        await requests.vote(999, bob, T0)


async def test_a_merge_carries_votes_and_an_unmerge_restores_them(store: Stores) -> None:
    requests = store.feature_requests
    dark = await filed(store, "Dark mode", person("ana"))
    night = await filed(store, "Night theme", person("bob", thread="t2"), 1)
    await requests.vote(night.number, person("cy", thread="t3"), T0 + timedelta(minutes=2))
    await requests.vote(night.number, person("ana"), T0 + timedelta(minutes=3))  # she is on both: counts once
    await requests.change_status(night.number, RequestStatus.OPEN, RequestStatus.PLANNED, "", "mo", T0, lambda *a: [])
    merge = await requests.merge(night.number, dark.number, "slack:mo", T0 + timedelta(hours=1))
    assert (merge.source, merge.target, merge.previous) == (night.number, dark.number, RequestStatus.PLANNED)
    after = (await requests.votes([dark.number]))[dark.number]
    assert voters(after) == ["slack:ana", "slack:bob", "slack:cy"]
    merged = await requests.get(night.number)
    assert merged is not None and (merged.status, merged.duplicate_of) == (RequestStatus.DUPLICATE, dark.number)
    assert [m.source for m in await requests.merges(dark.number)] == [night.number]
    assert not await requests.vote(dark.number, person("cy", thread="t9"), T0)  # already counted through the merge
    with pytest.raises(RequestError):
        await requests.merge(night.number, dark.number, "slack:mo", T0)  # already merged
    with pytest.raises(RequestError):
        await requests.merge(dark.number, dark.number, "slack:mo", T0)

    undone = await requests.unmerge(night.number, "slack:mo", T0 + timedelta(hours=2))
    assert undone is not None and undone.undone_at is not None
    assert await requests.unmerge(night.number, "slack:mo", T0) is None
    restored = await requests.get(night.number)
    assert restored is not None and (restored.status, restored.duplicate_of) == (RequestStatus.PLANNED, None)
    votes = await requests.votes([dark.number, night.number])
    assert voters(votes[dark.number]) == ["slack:ana"]
    assert voters(votes[night.number]) == ["slack:bob", "slack:cy", "slack:ana"]
    assert await requests.merges(dark.number) == []


async def test_a_status_change_and_its_notices_are_written_once(store: Stores) -> None:
    requests = store.feature_requests
    request = await filed(store, "Dark mode", person("ana"))
    await requests.vote(request.number, person("bob", thread="t2"), T0)

    def notices(changed: FeatureRequest, change: StatusChange, votes: list[Vote]) -> list[Outbound]:
        assert changed.status is RequestStatus.PLANNED and change.note == "May"
        return [Outbound(v.voter.address, Reply(ReplyKind.INFO, f"{changed.title} {change.new}")) for v in votes]

    changes = await asyncio.gather(
        requests.change_status(request.number, RequestStatus.OPEN, RequestStatus.PLANNED, "May", "mo", T0, notices),
        requests.change_status(request.number, RequestStatus.OPEN, RequestStatus.PLANNED, "May", "mo", T0, notices),
    )
    assert sorted(c is None for c in changes) == [False, True]
    queued = await store.outbox.outbox()
    assert sorted(item.outbound.address.thread for item in queued) == ["t1", "t2"]
    assert {item.outbound.reply.text for item in queued} == {"Dark mode planned"}
    history = await requests.history(request.number)
    assert [(c.old, c.new, c.note) for c in history] == [(RequestStatus.OPEN, RequestStatus.PLANNED, "May")]
    current = await requests.get(request.number)
    assert current is not None and (current.status, current.note) == (RequestStatus.PLANNED, "May")
    assert [r.number for r in await requests.requests([RequestStatus.PLANNED])] == [request.number]
    assert await requests.requests([RequestStatus.OPEN]) == []


async def test_a_notice_that_cannot_be_built_changes_nothing(store: Stores) -> None:
    requests = store.feature_requests
    request = await filed(store, "Dark mode", person("ana"))

    def broken(*_: object) -> list[Outbound]:
        raise RuntimeError("cannot word it")

    with pytest.raises(RuntimeError):
        await requests.change_status(request.number, RequestStatus.OPEN, RequestStatus.STARTED, "", "mo", T0, broken)
    current = await requests.get(request.number)
    assert current is not None and current.status is RequestStatus.OPEN
    assert await requests.history(request.number) == [] and await store.outbox.outbox() == []
