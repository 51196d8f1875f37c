"""The weekly digest on Slack: its text is posted and its chart uploaded (files.uploadV2's three steps)."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from core.analytics.digest import DigestPoster, DigestSchedule
from core.messages import Address
from tests.adapters.slack_world import World
from tests.digest_fakes import FakeCharts, FakeNumbers, drawn_chart

pytestmark = pytest.mark.asyncio

STAFF_ROOM = "C0STAFFROOM"


async def _post_digest(world: World, channel: Address) -> None:
    schedule = DigestSchedule(0, time(9, 0), "Europe/Berlin", channel)
    poster = DigestPoster(world.store, schedule, FakeNumbers(), FakeCharts(png=drawn_chart()), world.clock, "w1")
    assert await poster.run_once()
    await world.worker.drain(world.clock.now())


async def test_the_digest_chart_arrives_in_the_staff_channel_with_the_digest_text(world: World) -> None:
    await _post_digest(world, Address("slack", channel=STAFF_ROOM))
    assert world.slack.posts(STAFF_ROOM) == []  # the text comes with the chart, as one message
    (upload,) = world.slack.uploads(STAFF_ROOM)
    text = upload.initial_comment or ""
    assert text.startswith("Weekly support digest")
    assert "ticket #7 (gold, high): first response 1:30:00 late" in text
    assert upload.data == drawn_chart() and upload.data.startswith(b"\x89PNG")
    assert (upload.filename, upload.title) == ("digest.png", "digest.png")
    assert upload.thread_ts is None  # in the channel, beside the text, not hidden in a thread
    methods = [c.method for c in world.slack.calls if c.method not in ("auth.test", "users.info")]
    assert methods[-3:] == ["files.getUploadURLExternal", "upload", "files.completeUploadExternal"]


async def test_a_refused_upload_is_retried_without_posting_the_digest_text_twice(world: World) -> None:
    world.slack.refused_uploads.append("internal_error")
    await _post_digest(world, Address("slack", channel=STAFF_ROOM))
    assert world.slack.uploads(STAFF_ROOM) == []
    world.clock.advance(timedelta(minutes=10))
    await world.worker.drain(world.clock.now())
    assert len(world.slack.uploads(STAFF_ROOM)) == 1
    digests = [p for p in world.slack.posts(STAFF_ROOM) if p["text"].startswith("Weekly support digest")]
    shared = [u.initial_comment or "" for u in world.slack.uploads(STAFF_ROOM)]
    assert len(digests) + sum(text.startswith("Weekly support digest") for text in shared) == 1


async def test_without_the_files_scope_the_digest_text_goes_alone_and_says_the_chart_is_missing(world: World) -> None:
    world.slack.scopes.discard("files:write")
    await _post_digest(world, Address("slack", channel=STAFF_ROOM))
    assert world.slack.uploads(STAFF_ROOM) == []
    (post,) = world.slack.posts(STAFF_ROOM)
    assert post["text"].startswith("Weekly support digest") and "needs the files:write scope" in post["text"]
    world.clock.advance(timedelta(minutes=10))
    await world.worker.drain(world.clock.now())
    assert len(world.slack.posts(STAFF_ROOM)) == 1  # delivered, so not sent again


async def test_a_digest_addressed_to_a_thread_shares_its_chart_in_that_thread(world: World) -> None:
    await _post_digest(world, Address("slack", "", STAFF_ROOM, "1732350000.000100"))
    (upload,) = world.slack.uploads(STAFF_ROOM)
    assert upload.thread_ts == "1732350000.000100" and upload.data == drawn_chart()
