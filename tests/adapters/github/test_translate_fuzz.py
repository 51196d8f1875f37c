"""GitHub's translator on recorded deliveries with any part changed: a typed event, None or ``PayloadError``."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from bots.github.client import path_segment
from bots.github.translate import (
    Commented,
    IssueChanged,
    PayloadError,
    Ping,
    comment_message,
    issue_message,
    read_event,
)
from tests.adapters.fuzzing import SMALL, mutated
from tests.adapters.github_world import payload

DELIVERIES = {
    "issues": ["issues.opened", "issues.reopened", "issues.opened.with-organization", "issues.labeled"],
    "issue_comment": ["issue_comment.created", "issue_comment.created.with-installation"],
    "ping": ["ping"],
}
# What the translator reads, so half of all changes land there.
READ: tuple[tuple[str | int, ...], ...] = (
    ("action",),
    ("zen",),
    ("issue",),
    ("issue", "title"),
    ("issue", "body"),
    ("issue", "number"),
    ("issue", "id"),
    ("issue", "state"),
    ("issue", "pull_request"),
    ("issue", "user", "login"),
    ("repository", "name"),
    ("repository", "owner"),
    ("repository", "owner", "login"),
    ("comment", "body"),
    ("comment", "id"),
    ("comment", "user", "login"),
    ("sender", "login"),
)
deliveries = st.sampled_from([(event, name) for event, names in DELIVERIES.items() for name in names]).flatmap(
    lambda pair: st.tuples(st.just(pair[0]), mutated(payload(pair[1]), READ))
)


@SMALL
@given(deliveries)
def test_any_delivery_reads_as_an_event_none_or_a_payload_error(delivery: tuple[str, Any]) -> None:
    event, data = delivery
    try:
        parsed = read_event(event, data)
    except PayloadError as exc:
        assert str(exc)  # says what is wrong
        return
    if isinstance(parsed, IssueChanged | Commented):
        issue = parsed.issue
        for segment in (issue.repo.owner, issue.repo.name):
            assert path_segment(segment) == segment  # a name GitHub allows needs no escaping and stays in its path
        assert isinstance(issue.title, str) and isinstance(issue.body, str)
        assert type(issue.number) is int and type(issue.id) is int
        message = issue_message(issue) if isinstance(parsed, IssueChanged) else comment_message(parsed)
        assert isinstance(message.text, str)
        message.text.encode("utf-8")  # text the store can keep
    else:
        assert parsed is None or isinstance(parsed, Ping)
