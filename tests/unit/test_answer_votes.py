"""Votes on answers, as customers press them: one self-service resolution per answer, the last vote standing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.messages import ReplyKind
from tests.desk_fakes import make_harness

pytestmark = pytest.mark.asyncio


async def test_helpful_pressed_five_times_is_one_self_service_resolution() -> None:
    h = make_harness()
    await h.say("my app exits with 137")
    for _ in range(5):
        [reply] = await h.say("", choice="helpful")
        assert "helped" in reply.text
    assert "Self-service deflection: 100% (1 of 1 answers)" in (await h.mod("stats")).text
    h.clock.advance(timedelta(minutes=5))
    await h.say("and exit code 137 on the worker?")  # a second answer in the same thread counts on its own
    await h.say("", choice="helpful")
    assert "Self-service deflection: 100% (2 of 2 answers)" in (await h.mod("stats")).text


@pytest.mark.parametrize("instead", ["not_helpful", "human"])
async def test_helpful_then_asking_for_more_no_longer_counts_as_resolved(instead: str) -> None:
    h = make_harness()
    await h.say("my app exits with 137")
    await h.say("", choice="helpful")
    [reply] = await h.say("", choice=instead)
    assert reply.kind is ReplyKind.TICKET and reply.ticket == 1
    assert "Self-service deflection: 0% (0 of 1 answers)" in (await h.mod("stats")).text
