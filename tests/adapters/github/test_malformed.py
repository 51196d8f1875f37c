"""A signed delivery of the wrong shape is refused with 400 before it is queued; no call leaves its repository.

Before, such deliveries were answered 202 and failed later in the job, with a traceback at every retry.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from bots.github.client import GitHubCallError
from tests.adapters.github_world import World, comment, opened

pytestmark = pytest.mark.asyncio


def _opened(**issue: Any) -> dict[str, Any]:
    data = opened()
    data["issue"] |= issue
    return data


def _repository(**changes: Any) -> dict[str, Any]:
    data = opened()
    data["repository"] |= changes
    return data


def _owner(login: Any) -> dict[str, Any]:
    data = opened()
    data["repository"]["owner"]["login"] = login
    return data


def _commented(body: Any) -> dict[str, Any]:
    data = comment("hello")
    data["comment"]["body"] = body
    return data


def _sender(login: Any) -> dict[str, Any]:
    data = opened()
    data["sender"]["login"] = login
    return data


SURROGATE = json.dumps(opened(title="help LONE")).replace("LONE", "\\ud800").encode()
DEEP = b"[" * 100_000 + b"]" * 100_000
MALFORMED: dict[str, tuple[str, bytes | dict[str, Any], str]] = {
    "a title that is a number": ("issues", _opened(title=42), "issue.title is not a string"),
    "a comment body that is a number": ("issue_comment", _commented(7), "comment.body is not a string"),
    "a lone surrogate in the title": ("issues", SURROGATE, "issue.title holds text that is not valid Unicode"),
    "a repository named ../x": ("issues", _repository(name="../x"), "repository.name is not a GitHub repository"),
    "a repository named ..": ("issues", _repository(name=".."), "repository.name is not a GitHub repository"),
    "an owner with a slash": ("issues", _owner("a/b"), "repository.owner.login is not a GitHub login"),
    "a sender that is a number": ("issues", _sender(5), "sender.login is not a string"),
    "an issue number that is text": ("issues", _opened(number="1"), "issue.number is not a number"),
    "an issue number that is true": ("issues", _opened(number=True), "issue.number is not a number"),
    "an array": ("issues", b"[]", "not a JSON object"),
    "null": ("issue_comment", b"null", "not a JSON object"),
    "100,000 nested brackets": ("issues", DEEP, "nested too deeply"),
}


@pytest.mark.parametrize("name", MALFORMED)
async def test_a_signed_malformed_delivery_gets_400_saying_why_and_is_never_queued(
    world: World, name: str, caplog: pytest.LogCaptureFixture
) -> None:
    event, data, why = MALFORMED[name]
    with caplog.at_level(logging.WARNING):
        response = await world.deliver(event, data)
    assert response.status_code == 400
    assert why in response.json()["error"]
    [record] = [r for r in caplog.records if r.name.startswith("helpline")]
    assert record.exc_info is None and why in record.getMessage()
    assert await world.queue.jobs("github") == []
    assert await world.drain() == 0
    assert world.fake.calls == []
    assert await world.store.tickets.list_tickets(active_only=False) == []


async def test_names_github_allows_are_still_accepted(world: World) -> None:
    data = _repository(name="hello.world_2-x")
    data["repository"]["owner"]["login"] = "octo-cat_acme"
    data["issue"]["user"]["login"] = data["sender"]["login"] = "dependabot[bot]"
    response = await world.deliver("issues", data)
    assert response.status_code == 202


async def test_an_api_call_never_leaves_its_repository_s_path(world: World) -> None:
    api = world.runner.bot.api
    assert api is not None
    for repo in ("Codertocat/..", "../x", "Codertocat/."):
        with pytest.raises(GitHubCallError) as refused:
            await api.add_labels(repo, 1, ["bug"])
        assert refused.value.permanent
    assert world.fake.calls == []
    # A name with a slash or a question mark stays one escaped segment of the repository's path.
    with pytest.raises(GitHubCallError):
        await api.add_labels("Codertocat/x/../../y?z", 1, ["bug"])
    [call] = world.fake.calls
    assert call.raw_path == "/repos/Codertocat/x%2F..%2F..%2Fy%3Fz/issues/1/labels"
