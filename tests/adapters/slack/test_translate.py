"""Translation between Slack's payloads (events, button presses, slash commands) and the core's messages."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bots.slack.translate import (
    SLACK,
    button_incoming,
    channel_of,
    command_incoming,
    command_text,
    incoming,
    read_button,
    read_command,
    read_event,
    render,
    settled,
    strip_mention,
    thread_ts_of,
    unescape,
)
from core.commands import Claim
from core.desk.commands import parse_command
from core.messages import Action, Address, ChoiceMessage, CommandText, Reply, ReplyKind
from core.tiers import home_of
from tests.adapters.slack_fake import block_texts

PAYLOADS = Path(__file__).resolve().parents[1] / "payloads" / "slack"
BOT = "U0HELPLINE"
TEAM = "T0VENDOR"
HELP = "C0HELPDESK"
QUESTION_TS = "1732350000.000100"
STAFF = frozenset({"S0STAFF"})


def payload(name: str) -> dict[str, Any]:
    """A fresh copy of a payload fixture."""
    data: dict[str, Any] = json.loads((PAYLOADS / f"{name}.json").read_text(encoding="utf-8"))
    return data


def _event(name: str, **changes: Any) -> dict[str, Any]:
    envelope = payload(name)
    envelope["event"].update(changes)
    return envelope


def test_a_channel_question_is_a_conversation_in_its_own_thread() -> None:
    event = read_event(payload("event_message"))
    assert event is not None
    message = incoming(event, BOT, STAFF)
    assert message.address == Address(SLACK, TEAM, HELP, QUESTION_TS)
    assert message.message_id == f"{HELP}:{QUESTION_TS}"
    assert (message.author.id, message.author.team, message.author.roles) == ("U0ANA", TEAM, STAFF)
    assert message.text == "My deploy fails with exit code 137 right after the build step. What does that mean?"
    assert message.received_at == datetime.fromtimestamp(1732350000.0001, tz=UTC)


def test_a_thread_reply_joins_the_conversation_of_the_question_it_answers() -> None:
    question, reply = read_event(payload("event_message")), read_event(payload("event_thread_reply"))
    assert question is not None and reply is not None
    assert incoming(reply, BOT, frozenset()).address == incoming(question, BOT, frozenset()).address
    assert incoming(reply, BOT, frozenset()).message_id != incoming(question, BOT, frozenset()).message_id


def test_what_the_user_typed_reaches_the_core_without_slacks_entities() -> None:
    reply = read_event(payload("event_thread_reply"))
    assert reply is not None
    assert incoming(reply, BOT, frozenset()).text == (
        "It happens on every deploy since yesterday, on the starter plan & the build needs > 512 MB."
    )
    assert unescape("a &amp;lt; b &lt;&gt; c") == "a &lt; b <> c"


def test_a_message_delivered_as_a_message_and_an_app_mention_has_one_id_and_loses_the_mention() -> None:
    as_message, as_mention = read_event(payload("event_mention_message")), read_event(payload("event_app_mention"))
    assert as_message is not None and as_mention is not None
    assert (as_message.type, as_mention.type) == ("message", "app_mention")
    first, second = incoming(as_message, BOT, frozenset()), incoming(as_mention, BOT, frozenset())
    assert first.message_id == second.message_id and first.address == second.address
    assert first.text == second.text == "how do I rotate my API key?"


def test_a_direct_message_is_answered_in_a_thread_too() -> None:
    event = read_event(payload("event_dm"))
    assert event is not None and event.channel_type == "im"
    assert incoming(event, BOT, frozenset()).address == Address(SLACK, TEAM, "D0ANA", "1732350180.000400")


def test_a_slack_connect_customer_writes_in_the_vendors_channel_but_belongs_to_their_own_team() -> None:
    event = read_event(payload("event_connect_message"))
    assert event is not None
    message = incoming(event, BOT, frozenset())
    assert message.address.workspace == TEAM  # the channel's home, the same for every writer
    assert message.author.team == "T0ACME" and home_of(message) == "T0ACME"


@pytest.mark.parametrize("name", ["event_bot_message", "event_message_changed", "event_channel_join"])
def test_bot_posts_edits_and_joins_are_ignored(name: str) -> None:
    assert read_event(payload(name)) is None


def test_messages_from_apps_are_ignored_even_without_a_subtype() -> None:
    assert read_event(_event("event_message", bot_id="B0OTHERAPP")) is None


def test_thread_broadcasts_and_file_shares_are_still_questions() -> None:
    assert read_event(_event("event_thread_reply", subtype="thread_broadcast")) is not None
    assert read_event(_event("event_message", subtype="file_share", text="")) is not None


def _without_event() -> dict[str, Any]:
    envelope = payload("event_message")
    del envelope["event"]
    return envelope


def _without_user() -> dict[str, Any]:
    envelope = payload("event_message")
    del envelope["event"]["user"]
    return envelope


@pytest.mark.parametrize(
    "envelope",
    [
        _without_event(),
        _without_user(),
        {**payload("event_message"), "event": ["not", "an", "object"]},
        {**payload("event_message"), "type": "url_verification"},
        _event("event_message", text=["a", "list"]),
        _event("event_message", subtype=["unhashable"]),
        _event("event_message", ts=1732350000.0001),
        _event("event_message", ts="yesterday"),
        _event("event_message", thread_ts={"ts": QUESTION_TS}),
        _event("event_message", channel="C1/../C2"),
        _event("event_message", channel_type=7),
        _event("event_message", type="reaction_added"),
        {**payload("event_message"), "event_id": None},
        {**payload("event_message"), "team_id": None, "context_team_id": None},
    ],
)
def test_malformed_envelopes_are_ignored_without_an_exception(envelope: Any) -> None:
    assert read_event(envelope) is None


@pytest.mark.parametrize("envelope", [[], "event_callback", None, 42])
def test_envelopes_that_are_not_objects_are_ignored(envelope: Any) -> None:
    assert read_event(envelope) is None


def test_odd_text_reaches_the_core_as_written_and_comes_back_harmless() -> None:
    # As Slack sends it: typed "<", ">" and "&" arrive as entities, real mentions as markup.
    tricky = "pay\u202e&lt;!channel&gt;\x00\ufffd\u200b <@U0EVE> &amp;lt; done"
    event = read_event(_event("event_message", text=tricky))
    assert event is not None
    message = incoming(event, BOT, frozenset())
    assert message.text == "pay\u202e<!channel>\x00\ufffd\u200b <@U0EVE> &lt; done"  # the core cleans its own copy
    rendered = render(Reply(ReplyKind.INFO, f'You wrote: "{message.text}"'))
    for text in [rendered.text, *block_texts(rendered.blocks)]:
        assert "<" not in text and "\u202e" not in text
        assert "&lt;!channel&gt;" in text and "&amp;lt; done" in text  # shown exactly as typed


def test_the_bot_mention_is_removed_in_every_form_and_other_mentions_stay() -> None:
    assert strip_mention(f"<@{BOT}> hello", BOT) == "hello"
    assert strip_mention(f"<@{BOT}|helpline>: my app <@U0ANA> is down", BOT) == "my app <@U0ANA> is down"
    assert strip_mention(f"is my <@{BOT}>  app down?", BOT) == "is my app down?"
    assert strip_mention(f"<@{BOT}>", BOT) == ""
    assert strip_mention(f"<@{BOT}X> hi", BOT) == f"<@{BOT}X> hi"  # a different user


def test_a_button_press_is_a_choice_in_the_conversation_of_the_thread_it_sits_in() -> None:
    press = read_button(payload("block_actions"))
    assert press is not None
    message = button_incoming(press, STAFF)
    question = read_event(payload("event_message"))
    assert question is not None
    assert message.address == incoming(question, BOT, frozenset()).address
    assert isinstance(message, ChoiceMessage)  # a choice, not a command
    assert (message.action, message.ticket) == (Action.NOT_HELPFUL, None)
    assert message.message_id == f"action:{HELP}:1732350002.000150:U0ANA:1732350030.112233"
    assert (message.author.id, message.author.team, message.author.roles) == ("U0ANA", TEAM, STAFF)
    assert press.response_url.startswith("https://hooks.slack.com/actions/")


def test_a_button_press_without_a_container_thread_uses_the_message_thread_then_the_message() -> None:
    data = payload("block_actions")
    del data["container"]["thread_ts"]
    press = read_button(data)
    assert press is not None and press.thread_ts == QUESTION_TS
    del data["message"]["thread_ts"]
    press = read_button(data)
    assert press is not None and button_incoming(press, frozenset()).address.thread == "1732350002.000150"


def test_a_slack_connect_customer_pressing_keeps_the_channels_workspace() -> None:
    data = payload("block_actions")
    data["user"]["team_id"] = "T0ACME"
    press = read_button(data)
    assert press is not None
    message = button_incoming(press, frozenset())
    assert message.address.workspace == TEAM and home_of(message) == "T0ACME"


def _button(**changes: Any) -> dict[str, Any]:
    data = payload("block_actions")
    data["actions"][0].update(changes)
    return data


@pytest.mark.parametrize(
    "data",
    [
        _button(action_id="approve_deploy"),
        _button(value="drop_tables"),
        _button(value="claim:x"),
        _button(action_ts=None),
        {**payload("block_actions"), "type": "view_submission"},
        {**payload("block_actions"), "actions": "helpline:helpful"},
        {**payload("block_actions"), "container": None},
        {**payload("block_actions"), "user": ["U0ANA"]},
        [],
    ],
)
def test_other_or_malformed_button_payloads_are_ignored(data: Any) -> None:
    assert read_button(data) is None


def test_the_slash_command_becomes_the_cores_command_text() -> None:
    command = read_command(payload("slash_command"))
    assert command is not None
    message = command_incoming(command, STAFF)
    assert isinstance(message, CommandText) and message.text == "claim 1"
    assert parse_command(str(message.text)) == Claim(1)
    assert message.address == Address(SLACK, TEAM, "C0STAFF")
    assert message.message_id == "command:7312345678904.7000000000001.9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d"
    assert (message.author.id, message.author.team, message.author.roles) == ("U0MO", TEAM, STAFF)


@pytest.mark.parametrize("text", ["", "   "])
def test_a_bare_slash_command_asks_for_help(text: str) -> None:
    command = read_command({**payload("slash_command"), "text": text})
    assert command is not None and command_incoming(command, frozenset()).text == "help"


@pytest.mark.parametrize(
    "form",
    [
        {**payload("slash_command"), "command": "/deploy"},
        {**payload("slash_command"), "user_id": ""},
        {**payload("slash_command"), "text": ["claim", "1"]},
        {**payload("slash_command"), "trigger_id": None},
        "command=/helpline",
    ],
)
def test_other_or_malformed_slash_commands_are_ignored(form: Any) -> None:
    assert read_command(form) is None


def test_messages_go_to_their_channel_and_thread_or_the_escalation_channel() -> None:
    conversation, channel = Address(SLACK, TEAM, HELP, QUESTION_TS), Address.parse("slack:C0STAFF")
    assert (channel_of(conversation, None), thread_ts_of(conversation)) == (HELP, QUESTION_TS)
    assert (channel_of(channel, "C0ESC"), thread_ts_of(channel)) == ("C0STAFF", None)
    assert channel_of(Address(SLACK), "C0ESC") == "C0ESC"
    with pytest.raises(ValueError, match="escalation_channel is not set"):
        channel_of(Address(SLACK), None)


def test_a_settled_answer_keeps_its_text_and_blocks_and_says_who_chose_what_instead_of_buttons() -> None:
    press = payload("block_actions")
    press["actions"][0]["text"]["text"] = "Not\u202e helpful"
    again = settled(press, "<!channel> Ana & co")
    assert again is not None
    assert again.text == press["message"]["text"]
    assert again.blocks[:-1] == press["message"]["blocks"][:1]  # the section, without the buttons
    note = again.blocks[-1]["elements"][0]["text"]
    assert note == "&lt;!channel&gt; Ana &amp; co chose “Not helpful”."
    broken: list[dict[str, Any]] = [{"message": {"text": "x"}}, {"actions": []}, {"message": {"blocks": [], "text": 5}}]
    for change in broken:
        assert settled({**press, **change}, "Ana") is None


def test_command_text_reads_slacks_markup_back_to_what_was_typed() -> None:
    assert command_text("assign 3 <@U0LEE|lee>") == "assign 3 <@U0LEE>"
    assert command_text("note 3 see <#C0GEN|general> &amp; <https://x.example/a?b=1&amp;c=2>") == (
        "note 3 see #general & https://x.example/a?b=1&c=2"
    )
    assert command_text("reply 3 <!here> <!subteam^S0TEAM|@support>") == "reply 3 @here @support"
