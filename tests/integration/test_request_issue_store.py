"""Contract tests for ``RequestIssues``: the in-memory fake, SQLite and PostgreSQL keep the same rules."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.messages import Address
from core.requests.records import IssueLink, NewRequest, Requester
from core.requests.rules import RequestError
from core.stores import Stores

pytestmark = pytest.mark.asyncio

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ANA = Requester("slack:ana", "Ana", "acme", "enterprise", Address("slack", "T1", "C1", "t1"))


def issue(number: int) -> Address:
    return Address("github", "acme", "widgets", str(number))


async def request(store: Stores, title: str) -> int:
    draft = await store.feature_requests.draft(NewRequest(title, title, ANA, T0))
    filed = await store.feature_requests.file_draft(draft.id, ANA.identity)
    assert filed is not None
    return filed[0].number


async def test_an_issue_follows_one_request_and_a_request_has_one_issue(store: Stores) -> None:
    first, second = await request(store, "Dark mode"), await request(store, "CSV export")
    url = "https://github.com/acme/widgets/issues/7"
    link = await store.request_issues.link(IssueLink(first, issue(7), url, "slack:mod", T0))
    assert await store.request_issues.issue_of(first) == link
    assert await store.request_issues.request_at(issue(7)) == link
    assert await store.request_issues.issue_of(second) is None
    assert await store.request_issues.request_at(issue(8)) is None
    with pytest.raises(RequestError, match="already follows feature request"):
        await store.request_issues.link(IssueLink(second, issue(7), url, "slack:mod", T0))
    assert await store.request_issues.issue_of(second) is None  # nothing changed
    moved = await store.request_issues.link(IssueLink(first, issue(9), url.replace("7", "9"), "slack:mod", T0))
    assert await store.request_issues.issue_of(first) == moved
    assert await store.request_issues.request_at(issue(7)) is None  # the old issue is free again
    await store.request_issues.link(IssueLink(second, issue(7), url, "slack:mod", T0))
    linked = await store.request_issues.request_at(issue(7))
    assert linked is not None and linked.request == second
