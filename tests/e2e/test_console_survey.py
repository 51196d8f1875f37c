"""Surveys at the console: numbered CSAT choices, NPS by typing the score, and the next line after a rating."""

from __future__ import annotations

import asyncio
import dataclasses
import io

from bots.console.app import ConsoleChat
from bots.console.render import terminal
from core.messages import Action, ChoiceMessage, IncomingMessage, Outbound, Reply
from tests.console_world import WIDTH, ConsoleWorld
from tests.survey_desk import CSAT_QUESTION, NPS_QUESTION, SurveyDesk, csat, nps


def _survey_session(survey: Reply, lines: list[str]) -> tuple[str, SurveyDesk]:
    """The survey arrives (as the core sends one), then ``lines`` are typed; what was shown and kept."""
    world = ConsoleWorld()
    desk = SurveyDesk(world.system.desk)
    system = dataclasses.replace(world.system, desk=desk)
    out = io.StringIO()
    chat = ConsoleChat(system, world.notifier, world.clock, world.identity, terminal(out, colour=False, width=WIDTH))
    with asyncio.Runner() as runner:
        runner.run(world.notifier.send(Outbound(world.identity.address, survey)))
        for number, line in enumerate(lines):
            runner.run(chat.step(line, number))
    return out.getvalue(), desk


def test_csat_shows_numbered_choices_and_a_number_picks_that_rating() -> None:
    shown, desk = _survey_session(csat(), ["4"])
    assert CSAT_QUESTION in shown and "[1] 1" in shown and "[5] 5" in shown
    [answer] = desk.answers
    assert isinstance(answer, ChoiceMessage)
    assert (answer.action, answer.ticket, answer.score) == (Action.RATE, 7, 4)
    assert "Thank you: you rated 4." in shown


def test_nps_says_type_0_10_and_the_typed_score_is_the_rating() -> None:
    shown, desk = _survey_session(nps(), ["0"])
    assert NPS_QUESTION in shown and "type 0–10" in shown and "[1]" not in shown
    [answer] = desk.answers
    assert isinstance(answer, ChoiceMessage) and (answer.ticket, answer.score) == (8, 0)


def test_an_nps_score_off_the_scale_is_refused_and_nothing_is_kept() -> None:
    shown, desk = _survey_session(nps(), ["11"])
    assert "type a score from 0 to 10, or type a message" in shown
    assert desk.answers == []


def test_the_line_after_a_rating_reaches_the_core_as_written_in_the_same_thread() -> None:
    shown, desk = _survey_session(csat(), ["5", "Quick and friendly, thanks"])
    assert "Thank you: you rated 5." in shown
    rating, comment = desk.seen
    assert isinstance(rating, ChoiceMessage) and isinstance(comment, IncomingMessage)
    assert comment.text == "Quick and friendly, thanks" and comment.address == rating.address
