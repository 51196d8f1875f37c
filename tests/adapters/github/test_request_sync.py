"""Feature requests followed by GitHub issues, end to end through the fake GitHub and signed deliveries:
👍 reactions become votes (one per login, withdrawn with the reaction), a closing as completed completes the
request and tells its voters once, a closing as not planned does not, and ``create`` opens a labelled issue."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from config.requests_config import RequestSettings
from core.messages import CONSOLE, Action, Address, Author, ChoiceMessage, CommandText
from core.requests.records import RequestStatus
from tests.adapters.github_world import REPO, World, closed, comment, make_world, payload

pytestmark = pytest.mark.asyncio

URL = "https://github.com/Codertocat/Hello-World/issues/1"
HERE = Address(CONSOLE, "local", "terminal", "ana")


async def requested(world: World, text: str = "Dark mode for the dashboard") -> int:
    """Ana asks at the console and records it: the request's number."""
    ana = Author("ana", "Ana")
    [offer] = await world.desk.handle(CommandText(HERE, ana, f"feature {text}"))
    record = next(c for c in offer.choices if c.action is Action.FILE_REQUEST)
    [done] = await world.desk.handle(ChoiceMessage(HERE, ana, record.action, record.ticket))
    return int(done.text.split("#")[1].split()[0])


async def shown(world: World, number: int) -> str:
    return (await world.moderator(f"request show {number}")).text


async def test_thumbs_up_become_votes_once_per_login_and_a_withdrawn_one_withdraws_the_vote(world: World) -> None:
    number = await requested(world)
    world.fake.issue(REPO, 1).plus_ones = ["octocat", "hubot", "octocat", "dependabot[bot]"]
    linked = await world.moderator(f"request github {number} {URL}")
    assert f"now follows {URL}" in linked.text
    await world.drain()  # linking reads the reactions at once
    assert "3 votes" in await shown(world, number)  # ana's, octocat's and hubot's; a bot and a repeat do not count

    world.fake.issue(REPO, 1).plus_ones = ["octocat"]  # hubot took theirs back; GitHub sends no event for it
    response = await world.deliver("issue_comment", comment("any news?", login="monalisa"), delivery="d-1")
    assert response.status_code == 202
    await world.drain()
    await world.drain()
    assert "2 votes" in await shown(world, number)
    assert (await world.deliver("issue_comment", comment("any news?", login="monalisa"), delivery="d-1")).json()[
        "status"
    ] == "duplicate"  # a redelivery is not handled twice
    forged = await world.deliver("issue_comment", comment("x", login="monalisa"), signature="sha256=" + "0" * 64)
    assert forged.status_code == 401
    votes = (await world.store.feature_requests.votes([number]))[number]
    assert sorted(v.voter.identity for v in votes) == ["console:ana", "github:octocat"]


async def test_an_issue_closed_as_completed_completes_its_request_and_tells_each_voter_once(world: World) -> None:
    number = await requested(world)
    world.fake.issue(REPO, 1).plus_ones = ["octocat"]
    await world.moderator(f"request github {number} {URL}")
    await world.drain()
    done = closed()
    done["issue"]["state_reason"] = "completed"
    assert (await world.deliver("issues", done, delivery="close-1")).status_code == 202
    assert (await world.deliver("issues", done, delivery="close-1")).json()["status"] == "duplicate"
    for _ in range(3):
        await world.drain()
    request = await world.store.feature_requests.get(number)
    assert request is not None and request.status is RequestStatus.COMPLETED
    await world.worker.run_once()
    world.clock.advance(timedelta(minutes=5))
    await world.worker.run_once()
    for _ in range(3):
        await world.drain()
    told_ana = [o for o in world.console.sent if "is done" in o.reply.text]
    assert len(told_ana) == 1 and "The GitHub issue was closed as completed." in told_ana[0].reply.text
    on_issue = [
        c for c in world.fake.issue(REPO, 1).comments if f"#{number} 'Dark mode for the dashboard' is done" in c
    ]
    assert len(on_issue) == 1  # octocat, who voted with a 👍, is told on the issue, once

    again = closed()
    again["issue"]["state_reason"] = "completed"
    await world.deliver("issues", again, delivery="close-2")  # closed again later: nothing more to tell
    for _ in range(3):
        await world.drain()
    await world.worker.run_once()
    assert len([o for o in world.console.sent if "is done" in o.reply.text]) == 1


async def test_an_issue_closed_as_not_planned_leaves_its_request_open(world: World) -> None:
    number = await requested(world)
    await world.moderator(f"request github {number} {URL}")
    await world.drain()
    dropped = closed()
    dropped["issue"]["state_reason"] = "not_planned"
    await world.deliver("issues", dropped)
    for _ in range(3):
        await world.drain()
    request = await world.store.feature_requests.get(number)
    assert request is not None and request.status is RequestStatus.OPEN


async def test_a_wrong_url_is_refused_and_an_issue_follows_one_request(world: World) -> None:
    first, second = await requested(world), await requested(world, "Export invoices as CSV")
    wrong = await world.moderator(f"request github {first} https://example.com/not-an-issue")
    assert wrong.text.startswith("'https://example.com/not-an-issue' is not a GitHub issue's URL")
    await world.moderator(f"request github {first} {URL}")
    taken = await world.moderator(f"request github {second} {URL}")
    assert "already follows feature request #1" in taken.text


async def test_create_opens_a_labelled_issue_that_follows_the_request(tmp_path: Path) -> None:
    world = await make_world(tmp_path / "h.sqlite3", requests=RequestSettings(github_repo=REPO, github_label="idea"))
    try:
        number = await requested(world)
        said = await world.moderator(f"request github {number} create")
        assert "will be opened in Codertocat/Hello-World with the label idea" in said.text
        again = await world.moderator(f"request github {number} create")
        assert "being created already" in again.text
        await world.drain()
        [(repo, issue)] = [key for key in world.fake.issues if key[1] > 100]
        state = world.fake.issue(repo, issue)
        assert state.labels == ["idea"] and state.title == "Dark mode for the dashboard"
        link = await world.store.request_issues.issue_of(number)
        assert link is not None and link.url == f"https://github.com/{REPO}/issues/{issue}"
        assert f"already follows {link.url}" in (await world.moderator(f"request github {number} create")).text
    finally:
        await world.close()


def labelled(label: str, sender: str = "Codertocat") -> dict[str, object]:
    """``issues.labeled`` on issue #1, by ``sender``."""
    data = payload("issues.reopened")
    data["action"], data["label"] = "labeled", {"name": label, "id": 1}
    data["sender"]["login"] = sender
    return data


async def test_an_issue_labelled_an_enhancement_becomes_a_request_after_its_author_confirms(world: World) -> None:
    await world.deliver("issues", labelled("bug"))
    await world.drain()
    assert world.fake.issue(REPO, 1).comments == []  # only the enhancement label is a wish
    await world.deliver("issues", labelled("enhancement"))
    await world.drain()
    await world.drain()
    [offer] = world.fake.issue(REPO, 1).comments
    assert "Record this as a feature request?" in offer and "`/helpline record 1`" in offer
    assert await world.store.feature_requests.requests() == []  # nothing before the confirmation
    await world.deliver("issues", labelled("enhancement"))  # labelled again: asked once
    await world.deliver("issue_comment", comment("/helpline record 1", login="monalisa", comment_id=11))
    for _ in range(4):
        await world.drain()
    assert (
        len(world.fake.issue(REPO, 1).comments) == 2
        and "Only the person who asked" in world.fake.issue(REPO, 1).comments[1]
    )
    world.fake.issue(REPO, 1).plus_ones = ["octocat"]
    await world.deliver("issue_comment", comment("/helpline record 1", comment_id=12))  # the issue's author
    for _ in range(4):
        await world.drain()
    assert "Recorded as feature request #1" in world.fake.issue(REPO, 1).comments[-1]
    link = await world.store.request_issues.issue_of(1)
    assert link is not None and link.url == URL  # the issue follows its request: its 👍 are votes
    assert "2 votes" in await shown(world, 1)
