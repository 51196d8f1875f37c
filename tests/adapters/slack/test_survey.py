"""Surveys on Slack: Block Kit buttons (CSAT 5, NPS 11), a click reaching the core with its score, forgeries refused."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bots.slack.translate_blocks import render
from core.command_records import Rate
from core.messages import Action, ChoiceMessage, CommandMessage
from tests.adapters.slack_fake import payload
from tests.adapters.slack_world import World
from tests.survey_desk import SurveyDesk, csat, nps

pytestmark = pytest.mark.asyncio


def _elements(blocks: list[dict[str, object]]) -> list[tuple[str, str]]:
    actions = [b for b in blocks if b["type"] == "actions"]
    assert len(actions) == 1
    elements = actions[0]["elements"]
    assert isinstance(elements, list)
    return [(e["text"]["text"], e["value"]) for e in elements]


async def test_csat_shows_five_buttons_and_nps_eleven_in_one_actions_block() -> None:
    assert _elements(render(csat()).blocks) == [(str(n), f"rate:7:{n}") for n in range(1, 6)]
    assert _elements(render(nps()).blocks) == [(str(n), f"rate:8:{n}") for n in range(11)]


def _click(world: World, value: str) -> dict[str, Any]:
    press = payload("block_actions")
    press["response_url"] = f"{world.slack.url}/hooks/actions/T0VENDOR/1"
    press["actions"][0].update(action_id=f"helpline:{value}", value=value, text={"type": "plain_text", "text": "4"})
    return press


async def test_a_rating_click_reaches_the_core_with_its_score_and_is_thanked_privately(world: World) -> None:
    desk = SurveyDesk(world.runner.bot.desk)
    world.runner.bot.desk = desk
    assert (await world.interaction(_click(world, "rate:7:4"))).status_code == 200
    [answer] = desk.answers
    assert isinstance(answer, ChoiceMessage)
    assert (answer.action, answer.ticket, answer.score) == (Action.RATE, 7, 4)
    [thanks] = world.slack.responses()
    assert thanks["response_type"] == "ephemeral" and "you rated 4" in thanks["text"]
    assert world.slack.posts() == []  # nothing said in the thread; the survey keeps its buttons


@pytest.mark.parametrize("forged", ["rate:7:11", "rate:7", "helpful:7:4"])
async def test_a_forged_rating_never_reaches_the_core(world: World, forged: str) -> None:
    desk = SurveyDesk(world.runner.bot.desk)
    world.runner.bot.desk = desk
    await world.interaction(_click(world, forged))
    assert desk.answers == []


async def test_add_a_comment_opens_a_modal_whose_submission_reaches_the_core_as_rate(world: World) -> None:
    desk = SurveyDesk(world.runner.bot.desk)
    world.runner.bot.desk = desk
    await world.interaction(_click(world, "rate:7:2"))
    [thanks] = world.slack.responses()
    [button] = [e for b in thanks["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert button["text"]["text"] == "Add a comment"
    press = _click(world, "x")
    press["actions"][0].update(action_id=button["action_id"], value=button["value"])
    await world.interaction(press)
    [opened] = world.slack.method_calls("views.open")
    view = opened.args["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert opened.args["trigger_id"] == press["trigger_id"] and view["title"]["text"] == "Tell us more"
    await world.interaction(_submission(press, view, "  The first answer missed the point.  "))
    rating, comment = desk.answers
    assert isinstance(comment, CommandMessage) and comment.command == Rate(
        None, "The first answer missed the point.", 7
    )
    assert comment.address == rating.address and comment.author.id == rating.author.id
    [told] = world.slack.method_calls("chat.postEphemeral")
    assert told.args["user"] == rating.author.id and "comment is kept" in told.args["text"]


async def test_a_modal_with_forged_metadata_reaches_nobody(world: World) -> None:
    desk = SurveyDesk(world.runner.bot.desk)
    world.runner.bot.desk = desk
    forged = {"callback_id": "helpline-comment", "private_metadata": "7|discord:1/2/3"}
    await world.interaction(_submission(_click(world, "x"), forged, "hello"))
    assert desk.answers == []


def _submission(press: dict[str, Any], view: dict[str, Any], text: str) -> dict[str, Any]:
    """Slack's view_submission for the comment modal, as the presser typed ``text`` in it."""
    state = {"values": {"comment": {"comment": {"type": "plain_text_input", "value": text}}}}
    shown = {"id": "V0COMMENT", "type": "modal", "team_id": press["team"]["id"], "app_id": press["api_app_id"]}
    keep = ("callback_id", "private_metadata")
    return {
        "type": "view_submission",
        "team": press["team"],
        "user": press["user"],
        "api_app_id": press["api_app_id"],
        "token": press["token"],
        "trigger_id": press["trigger_id"],
        "view": {**shown, **{k: view[k] for k in keep}, "state": state},
    }
