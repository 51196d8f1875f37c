"""The console's pure translation: typed lines into core messages, replies into terminal text and JSON."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bots.console.translate import BadInput, Identity, Quit, Wait, as_json, read_line
from core.messages import (
    Action,
    Address,
    Choice,
    ChoiceMessage,
    Citation,
    CommandText,
    Inbound,
    IncomingMessage,
    Mention,
    Reply,
    ReplyKind,
)

ANA = Identity("ana", frozenset({"customer"}), "session-1")
FEEDBACK = (
    Choice("Helpful", Action.HELPFUL),
    Choice("Not helpful", Action.NOT_HELPFUL),
    Choice("Claim #4", Action.CLAIM, 4),
)
ANSWER = Reply(
    ReplyKind.ANSWER,
    "Exit code 137 means the container ran out of memory.",
    citation=Citation("Out of memory crashes", "https://docs.example/oom"),
    choices=FEEDBACK[:2],
    intent="how_to_question",
)


def message(line: str, pending: tuple[Choice, ...] = (), number: int = 1) -> Inbound:
    """``read_line`` for a line that must become a message to the desk."""
    parsed = read_line(line, ANA, pending, number)
    assert isinstance(parsed, IncomingMessage | CommandText | ChoiceMessage), parsed
    return parsed


def test_plain_text_is_a_message_from_the_typing_person_in_the_console_thread() -> None:
    sent = message("my app keeps crashing\n")
    assert isinstance(sent, IncomingMessage)  # neither a choice nor a command
    assert sent.text == "my app keeps crashing"
    assert sent.address == Address("console", "local", "terminal", "session-1")
    assert sent.author.id == "ana" and sent.author.name == "ana"
    assert sent.author.roles == frozenset({"customer"})


def test_each_line_number_gets_its_own_message_id() -> None:
    ids = {message("same words", number=n).message_id for n in (1, 2, 3)}
    assert len(ids) == 3
    assert message("same words", number=2).message_id == message("other words", number=2).message_id


def test_a_slash_line_is_a_command_without_its_slash() -> None:
    sent = message("/claim 12")
    assert isinstance(sent, CommandText)  # a command, not a choice
    assert sent.text == "claim 12"


def test_wait_moves_the_clock_by_the_duration_given() -> None:
    assert read_line("/wait 3h", ANA, (), 1) == Wait(timedelta(hours=3))
    assert read_line("/wait 1h30m", ANA, (), 1) == Wait(timedelta(minutes=90))


@pytest.mark.parametrize("line", ["/wait soon", "/wait", "/wait 0m"])
def test_a_wait_that_cannot_be_read_explains_the_usage(line: str) -> None:
    parsed = read_line(line, ANA, FEEDBACK, 1)
    assert isinstance(parsed, BadInput)
    assert "Usage: /wait DURATION" in parsed.problem
    assert "3h" in parsed.problem


@pytest.mark.parametrize("line", ["quit", "exit", "/quit", "/exit", "  QUIT  ", "Exit\n"])
def test_quit_words_end_the_session(line: str) -> None:
    assert read_line(line, ANA, FEEDBACK, 1) == Quit()


@pytest.mark.parametrize(("line", "value"), [("1", "helpful"), ("2", "not_helpful"), (" 3 ", "claim:4")])
def test_a_number_picks_that_pending_choice(line: str, value: str) -> None:
    sent = message(line, FEEDBACK)
    assert isinstance(sent, ChoiceMessage)  # a choice, not a command
    assert (sent.action, sent.ticket) == Choice.parse_value(value)
    assert sent.address == ANA.address


@pytest.mark.parametrize("line", ["0", "4", "99"])
def test_a_number_outside_the_choices_is_refused_with_the_range(line: str) -> None:
    parsed = read_line(line, ANA, FEEDBACK, 1)
    assert isinstance(parsed, BadInput)
    assert "1 to 3" in parsed.problem


def test_a_number_with_no_choices_pending_is_just_text() -> None:
    sent = message("137")
    assert isinstance(sent, IncomingMessage)  # neither a choice nor a command
    assert sent.text == "137"


def test_json_line_carries_kind_text_intent_ticket_citation_numbered_choices_and_destination() -> None:
    to = Address("slack", channel="C123")
    record = as_json(ANSWER, to)
    assert record["kind"] == "answer"
    assert record["text"] == ANSWER.text
    assert record["intent"] == "how_to_question"
    assert record["ticket"] is None
    assert record["citation"] == "https://docs.example/oom"
    assert record["choices"] == [
        {"number": 1, "label": "Helpful", "value": "helpful"},
        {"number": 2, "label": "Not helpful", "value": "not_helpful"},
    ]
    assert record["to"] == "slack:C123"


def test_json_line_without_citation_or_destination_has_nulls() -> None:
    record = as_json(Reply(ReplyKind.TICKET, "Ticket #7 opened.", ticket=7))
    assert record["kind"] == "ticket"
    assert record["ticket"] == 7
    assert record["citation"] is None
    assert record["choices"] == []
    assert record["to"] is None


def test_json_carries_whom_a_notice_mentions() -> None:
    people = (Mention("console", "group", "emea"), Mention("slack", "user", "U0MO"))
    notice = Reply(ReplyKind.ESCALATION, "Escalation (level 1): ticket #4", ticket=4, mentions=people)
    assert as_json(notice, Address("console"))["mentions"] == ["console:group:emea", "slack:user:U0MO"]
    assert as_json(ANSWER)["mentions"] == []
