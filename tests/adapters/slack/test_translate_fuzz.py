"""Slack's translators on recorded payloads with any part changed: a typed result or None, never an exception."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from bots.slack.translate import (
    ButtonPress,
    Event,
    SlackMessage,
    SlashCommand,
    button_incoming,
    command_incoming,
    incoming,
    read_button,
    read_command,
    read_event,
    settled,
)
from tests.adapters.fuzzing import SMALL, mutated, texts
from tests.adapters.slack_fake import BOT_USER, payload

EVENTS = ["event_app_mention", "event_message", "event_thread_reply", "event_dm", "event_connect_message"]
STAFF = frozenset({"moderator"})
# What the translators read, so half of all changes land there.
EVENT_READS: tuple[tuple[str | int, ...], ...] = (
    ("type",),
    ("event_id",),
    ("team_id",),
    ("context_team_id",),
    ("event",),
    *(("event", key) for key in ("type", "subtype", "user", "text", "ts", "thread_ts", "channel", "channel_type")),
    *(("event", key) for key in ("bot_id", "user_team", "team")),
)
BUTTON_READS: tuple[tuple[str | int, ...], ...] = (
    ("type",),
    ("actions",),
    ("actions", 0),
    *(("actions", 0, key) for key in ("action_id", "value", "action_ts", "text")),
    *(("container", key) for key in ("channel_id", "message_ts", "thread_ts")),
    ("user",),
    ("user", "id"),
    ("user", "team_id"),
    ("team",),
    ("response_url",),
    ("message", "blocks"),
    ("message", "text"),
)
COMMAND_READS = tuple((key,) for key in ("command", "team_id", "channel_id", "user_id", "text", "response_url"))


@SMALL
@given(st.sampled_from(EVENTS).flatmap(lambda name: mutated(payload(name), EVENT_READS)))
def test_any_event_envelope_reads_as_an_event_or_none(envelope: Any) -> None:
    event = read_event(envelope)
    assert event is None or isinstance(event, Event)
    if event is not None:
        message = incoming(event, BOT_USER, STAFF)
        assert isinstance(message.text, str) and message.address.thread in (event.ts, event.thread_ts)


@SMALL
@given(mutated(payload("block_actions"), BUTTON_READS), texts)
def test_any_button_payload_reads_as_a_press_or_none(data: Any, who: str) -> None:
    press = read_button(data)
    assert press is None or isinstance(press, ButtonPress)
    if press is not None:
        choice = button_incoming(press, STAFF)
        assert choice.message_id.startswith("action:")
    again = settled(data, who) if isinstance(data, dict) else None
    assert again is None or isinstance(again, SlackMessage)


@SMALL
@given(mutated(payload("slash_command"), COMMAND_READS))
def test_any_slash_command_form_reads_as_a_command_or_none(form: Any) -> None:
    command = read_command(form)
    assert command is None or isinstance(command, SlashCommand)
    if command is not None:
        assert command_incoming(command, STAFF).text
