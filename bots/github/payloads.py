"""The parts of GitHub's webhook payloads that Helpline reads, as GitHub sends them.

Only the keys used are listed; GitHub sends many more, and ``total=False`` marks keys that some
deliveries leave out (``body`` of an issue is null when empty, ``organization`` only for orgs).
"""

from __future__ import annotations

from typing import TypedDict


class UserPayload(TypedDict, total=False):
    """``user``, ``sender``: someone on GitHub."""

    login: str
    id: int
    type: str  # "User", "Bot" or "Organization"


class IssuePayload(TypedDict, total=False):
    """``issue``: an issue (or a pull request, when ``pull_request`` is present)."""

    id: int
    number: int
    title: str
    body: str | None
    state: str
    html_url: str
    user: UserPayload
    pull_request: dict[str, object]


class CommentPayload(TypedDict, total=False):
    """``comment``: a comment on an issue."""

    id: int
    body: str | None
    html_url: str
    user: UserPayload


class OwnerPayload(TypedDict, total=False):
    """``repository.owner``: the user or organisation owning the repository."""

    login: str


class RepositoryPayload(TypedDict, total=False):
    """``repository``: where the event happened."""

    name: str
    full_name: str
    owner: OwnerPayload


class EventPayload(TypedDict, total=False):
    """The top level of an ``issues``, ``issue_comment`` or ``ping`` delivery."""

    action: str
    issue: IssuePayload
    comment: CommentPayload
    repository: RepositoryPayload
    sender: UserPayload
    zen: str
    hook_id: int
