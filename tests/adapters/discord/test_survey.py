"""Surveys on Discord: CSAT buttons, an NPS select menu, the comment modal, and forged ids refused."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

from core.command_records import Rate
from core.messages import DISCORD, Action, Address, ChoiceMessage, CommandMessage, Outbound
from tests.adapters.discord_fake import ANA, EPHEMERAL, HELP, payload
from tests.adapters.discord_world import World, buttons, make_world
from tests.survey_desk import CSAT_QUESTION, NPS_QUESTION, SurveyDesk, csat, nps

pytestmark = pytest.mark.asyncio
_IDS = itertools.count(970000000000000001)


@pytest_asyncio.fixture
async def world() -> AsyncIterator[World]:
    w = await make_world()
    w.bot.desk = SurveyDesk(w.desk)
    yield w
    await w.discord.close()


def _answers(world: World) -> list[Any]:
    desk = world.bot.desk
    assert isinstance(desk, SurveyDesk)
    return desk.answers


async def _ask(world: World, nps_survey: bool = False) -> dict[str, Any]:
    await world.notifier.send(Outbound(Address(DISCORD, channel=str(HELP)), nps() if nps_survey else csat()))
    [posted] = world.discord.api.sent(HELP)
    return posted


async def _interaction(world: World, kind: int, data: dict[str, Any], on: dict[str, Any] | None) -> None:
    """A member answers on a survey message in the help channel: a component (kind 3) or a modal (kind 5)."""
    body = payload("interaction_component")
    body.update(id=str(next(_IDS)), type=kind, channel_id=str(HELP), data=data)
    body["channel"] = {**payload("interaction_command")["channel"], "id": str(HELP)}
    body["message"].update(channel_id=str(HELP), components=(on or {}).get("components", []))
    if kind == 5:
        del body["message"]
    world.discord.event("INTERACTION_CREATE", body)
    await world.discord.settle()


async def test_csat_is_five_buttons_and_a_press_reaches_the_core_with_its_score(world: World) -> None:
    posted = await _ask(world)
    assert posted["content"] == CSAT_QUESTION
    assert buttons(posted) == [(str(n), f"helpline:rate:7:{n}") for n in range(1, 6)]
    await world.discord.press("helpline:rate:7:4", channel=HELP)
    [answer] = _answers(world)
    assert isinstance(answer, ChoiceMessage)
    assert (answer.action, answer.ticket, answer.score, answer.author.id) == (Action.RATE, 7, 4, str(ANA))
    [thanks] = world.discord.api.followups()
    assert thanks["content"] == "Thank you: you rated 4."
    assert buttons(thanks) == [("Add a comment", "helpline-comment:7")]
    assert world.discord.api.deferrals()[-1]["data"]["flags"] & EPHEMERAL  # only the customer sees it
    assert world.discord.api.edits() == []  # the survey keeps its buttons: the rating can still be changed


async def test_nps_is_a_select_menu_of_0_to_10_and_a_pick_reaches_the_core(world: World) -> None:
    posted = await _ask(world, nps_survey=True)
    assert posted["content"] == NPS_QUESTION
    [[menu]] = [row["components"] for row in posted["components"]]
    assert menu["type"] == 3 and menu["custom_id"] == "helpline-score:8"
    assert [o["label"] for o in menu["options"]] == [str(n) for n in range(11)]
    assert menu["placeholder"] == "Pick a score from 0 to 10"
    picked = {"custom_id": "helpline-score:8", "component_type": 3, "values": ["rate:8:9"]}
    await _interaction(world, 3, picked, posted)
    [answer] = _answers(world)
    assert isinstance(answer, ChoiceMessage) and (answer.ticket, answer.score) == (8, 9)
    [thanks] = world.discord.api.followups()
    assert thanks["content"] == "Thank you: you rated 9."


async def test_the_comment_button_opens_a_modal_whose_text_reaches_the_core_as_rate(world: World) -> None:
    await _ask(world)
    await world.discord.press("helpline:rate:7:2", channel=HELP)
    [thanks] = world.discord.api.followups()
    await world.discord.press("helpline-comment:7", channel=HELP, on=thanks)
    modal = world.discord.api.deferrals()[-1]
    assert modal["type"] == 9  # Discord's "show a modal" response
    assert modal["data"]["custom_id"] == "helpline-comment-form:7"
    [[field]] = [row["components"] for row in modal["data"]["components"]]
    assert field["label"] == "Your comment" and field["max_length"] == 1000
    text = {"type": 4, "custom_id": field["custom_id"], "value": "  The second answer was wrong.  "}
    submitted = {"custom_id": "helpline-comment-form:7", "components": [{"type": 1, "components": [text]}]}
    await _interaction(world, 5, submitted, None)
    comment = _answers(world)[-1]
    assert isinstance(comment, CommandMessage)
    assert comment.command == Rate(None, "The second answer was wrong.", 7)
    assert world.discord.api.followups()[-1]["content"] == "Thank you, your comment is kept with your rating."


async def test_an_empty_comment_changes_nothing_and_says_so(world: World) -> None:
    await _ask(world)
    await world.discord.press("helpline:rate:7:5", channel=HELP)
    [thanks] = world.discord.api.followups()
    await world.discord.press("helpline-comment:7", channel=HELP, on=thanks)
    field = world.discord.api.deferrals()[-1]["data"]["components"][0]["components"][0]
    text = {"type": 4, "custom_id": field["custom_id"], "value": "   "}
    submitted = {"custom_id": "helpline-comment-form:7", "components": [{"type": 1, "components": [text]}]}
    await _interaction(world, 5, submitted, None)
    assert len(_answers(world)) == 1  # the rating only
    assert "comment was empty" in world.discord.api.followups()[-1]["content"]


@pytest.mark.parametrize("forged", ["helpline:rate:7:99", "helpline:rate:7", "helpline:helpful:7:4"])
async def test_a_forged_rating_button_is_refused_privately(world: World, forged: str) -> None:
    value = forged.removeprefix("helpline:")
    on = {"components": [{"type": 1, "components": [{"type": 2, "style": 2, "label": "x", "custom_id": forged}]}]}
    await world.discord.press(forged, channel=HELP, on=on)
    assert _answers(world) == []
    [refusal] = world.discord.api.followups()
    assert refusal["content"].startswith(f"'{value}' is not a choice I offered")
    assert world.discord.api.deferrals()[-1]["data"]["flags"] & EPHEMERAL


async def test_a_select_value_naming_another_survey_is_refused(world: World) -> None:
    posted = await _ask(world, nps_survey=True)
    forged = {"custom_id": "helpline-score:8", "component_type": 3, "values": ["rate:3:10"]}
    await _interaction(world, 3, forged, posted)
    assert _answers(world) == []
    [refusal] = world.discord.api.followups()
    assert "is not a choice I offered" in refusal["content"]
