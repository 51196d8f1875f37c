"""The weekly digest on Discord: its chart is sent as a file of the message carrying the digest's text."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import time, timedelta

import pytest
import pytest_asyncio

from core.analytics.digest import DigestPoster, DigestSchedule
from core.messages import Address
from tests.adapters.discord_fake import STAFF
from tests.adapters.discord_world import World, make_world
from tests.digest_fakes import FakeCharts, FakeNumbers, drawn_chart

pytestmark = pytest.mark.asyncio


@pytest_asyncio.fixture
async def world() -> AsyncIterator[World]:
    world = await make_world()
    try:
        yield world
    finally:
        await world.discord.close()


async def _post_digest(world: World) -> None:
    # Bare "discord" is the staff channel, as the shipped digest config names it.
    schedule = DigestSchedule(0, time(9, 0), "Europe/Berlin", Address("discord"))
    poster = DigestPoster(world.store, schedule, FakeNumbers(), FakeCharts(png=drawn_chart()), world.clock, "w1")
    assert await poster.run_once()
    await world.worker.drain(world.clock.now())


async def test_the_digest_chart_arrives_in_the_staff_channel_with_the_digest_text(world: World) -> None:
    await _post_digest(world)
    ((body, files),) = world.discord.api.files(STAFF)
    assert body["content"].startswith("Weekly support digest")
    assert "ticket #7 (gold, high): first response 1:30:00 late" in body["content"]
    assert [(f.filename, f.data) for f in files] == [("digest.png", drawn_chart())]
    assert [a["filename"] for a in body["attachments"]] == ["digest.png"]
    assert all("Weekly support digest" not in sent.get("content", "") for sent in world.discord.api.sent(STAFF)[:-1])


async def test_a_refused_file_is_retried_without_posting_the_digest_text_twice(world: World) -> None:
    world.discord.api.refuse_files.append((400, 50035))  # Invalid Form Body, once
    await _post_digest(world)
    world.clock.advance(timedelta(minutes=10))
    await world.worker.drain(world.clock.now())
    digests = [s for s in world.discord.api.sent(STAFF) if s and s.get("content", "").startswith("Weekly support")]
    tries = world.discord.api.files(STAFF)  # the refused one and the retry, each the text with its chart
    assert [body["content"] for body, _ in tries] == [digest["content"] for digest in digests]
    assert len(tries) == 2 and [f.data for _, files in tries for f in files] == [drawn_chart()] * 2


async def test_without_attach_files_the_digest_text_goes_alone_and_says_the_chart_is_missing(world: World) -> None:
    world.discord.api.refuse_files.append((403, 50013))  # Missing Permissions
    await _post_digest(world)
    world.clock.advance(timedelta(minutes=10))
    await world.worker.drain(world.clock.now())
    *_, text, note = world.discord.api.sent(STAFF)
    assert text["content"].startswith("Weekly support digest") and "attachments" not in text
    assert "needs the Attach Files permission" in note["content"]
    assert len(world.discord.api.files(STAFF)) == 1  # the refused try only: delivered, so not retried
