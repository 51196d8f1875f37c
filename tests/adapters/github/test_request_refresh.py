"""Feature requests' GitHub issues, the two ways a 👍 or an issue could be lost or doubled: a 👍 added with no
other event on the issue is counted by the scheduled re-read, and a retried ``create`` finds the issue it opened
instead of opening a second one."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from config.requests_config import RequestSettings
from core.requests.reaction_refresh import ReactionRefresh
from core.requests.tracker import request_marker
from tests.adapters.github.test_request_sync import URL, requested, shown
from tests.adapters.github_world import REPO, World, make_world

pytestmark = pytest.mark.asyncio


async def test_a_thumbs_up_alone_is_counted_within_the_refresh_interval_and_a_withdrawn_one_leaves(
    world: World,
) -> None:
    number = await requested(world)
    await world.moderator(f"request github {number} {URL}")
    await world.worker.run_once()  # the worker's pass reads the linked issues now, then once an hour
    await world.drain()
    assert "1 vote" in await shown(world, number)  # ana's
    world.fake.issue(REPO, 1).plus_ones = ["octocat"]  # no webhook comes for a reaction
    world.clock.advance(timedelta(minutes=30))
    await world.worker.run_once()
    await world.drain()
    assert "1 vote" in await shown(world, number)  # not read again within the hour
    world.clock.advance(timedelta(hours=1, minutes=1))
    await world.worker.run_once()
    await world.drain()
    assert "2 votes" in await shown(world, number)
    world.fake.issue(REPO, 1).plus_ones = []
    world.clock.advance(timedelta(hours=1, minutes=1))
    await world.worker.run_once()
    await world.drain()
    assert "1 vote" in await shown(world, number)


async def test_two_workers_read_each_issue_once_an_interval(world: World) -> None:
    number = await requested(world)
    await world.moderator(f"request github {number} {URL}")
    await world.drain()
    world.clock.advance(timedelta(hours=2))
    first = ReactionRefresh(world.store, world.clock, timedelta(hours=1))
    second = ReactionRefresh(world.store, world.clock, timedelta(hours=1))
    assert [await first.run_once(), await second.run_once()] == [1, 0]
    reads_before = len([c for c in world.fake.calls if c.path.endswith("/issues/1/reactions")])
    await world.drain()
    reads = len([c for c in world.fake.calls if c.path.endswith("/issues/1/reactions")])
    assert reads == reads_before + 1


async def test_a_retried_create_finds_the_issue_it_opened_and_opens_no_second(tmp_path: Path) -> None:
    world = await make_world(tmp_path / "h.sqlite3", requests=RequestSettings(github_repo=REPO, github_label="idea"))
    try:
        number = await requested(world)
        # A first attempt opened the issue on GitHub, then the process died before the link was kept.
        crashed = world.fake.issue(REPO, 150)
        crashed.title, crashed.labels = "Dark mode for the dashboard", ["idea"]
        crashed.body = f"Dark mode for the dashboard\n\n{request_marker(number)}"
        other = world.fake.issue(REPO, 149)  # another request's issue with the same label
        other.labels, other.body = ["idea"], request_marker(number + 10)
        await world.moderator(f"request github {number} create")
        await world.drain()
        assert not any(c.method == "POST" and c.path.endswith("/issues") for c in world.fake.calls)
        link = await world.store.request_issues.issue_of(number)
        assert link is not None and link.url == f"https://github.com/{REPO}/issues/150"
    finally:
        await world.close()
