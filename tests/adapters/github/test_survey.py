"""Surveys on GitHub: the closing comment asks for ``/helpline rate N [comment]``; that comment reaches the core."""

from __future__ import annotations

import dataclasses

import pytest

from core.messages import CommandText, Outbound
from tests.adapters.github_world import ISSUE, REPO, World, comment, payload
from tests.survey_desk import CSAT_QUESTION, SurveyDesk, csat

pytestmark = pytest.mark.asyncio


def _survey_desk(world: World) -> SurveyDesk:
    desk = SurveyDesk(world.runner.bot.desk)
    world.runner.bot.desk = desk
    return desk


async def test_the_resolve_notice_with_a_survey_asks_for_a_rate_comment(world: World) -> None:
    resolved = dataclasses.replace(csat(), text="Ticket #1 is resolved. " + CSAT_QUESTION)
    await world.runner.notifier.send(Outbound(ISSUE, resolved))
    await world.drain()
    [posted] = world.fake.issue(REPO, 1).comments
    assert posted.startswith("Ticket #1 is resolved. How did we do")
    assert "reply with a comment `/helpline rate N [comment]` (N = 1–5)" in posted
    assert "`/helpline rate 5 quick and clear`" in posted


async def test_a_rate_comment_reaches_the_core_as_the_rate_command_and_gets_a_thumbs_up(world: World) -> None:
    desk = _survey_desk(world)
    await world.deliver("issues", payload("issues.opened"))
    await world.drain()
    said = comment("/helpline rate 4 Fixed quickly.\nThe docs link helped too.", comment_id=492700777)
    await world.deliver("issue_comment", said)
    await world.drain()
    [answer] = desk.answers
    assert isinstance(answer, CommandText)
    assert answer.text == "rate 4 Fixed quickly.\nThe docs link helped too."
    assert answer.author.id == "Codertocat" and answer.address == ISSUE
    assert (492700777, "+1") in world.fake.reactions


async def test_a_rate_comment_delivered_twice_counts_once(world: World) -> None:
    desk = _survey_desk(world)
    said = comment("/helpline rate 2", comment_id=492700778)
    for _ in range(2):
        await world.deliver("issue_comment", said)
        await world.drain()
    assert [a.text for a in desk.answers if isinstance(a, CommandText)] == ["rate 2"]
