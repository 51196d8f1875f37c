"""Pure translation from Slack payloads (events, button presses, slash commands) to the core's messages.

Nothing here talks to Slack: these functions read the JSON Slack delivers; the Block Kit the bot
posts is built in ``bots.slack.translate_blocks``. Anything malformed or not for Helpline reads as
None, never as an exception.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bots.slack.translate_blocks import ACTION_PREFIX, CHOICES_BLOCK_ID, LABEL_LIMIT, escape, mrkdwn
from bots.slack.translate_blocks import SlackMessage as SlackMessage  # re-exported for the poster
from bots.slack.translate_blocks import render as render  # re-exported for the poster
from core.messages import (
    MAX_FILES,
    Action,
    Address,
    Author,
    Choice,
    ChoiceMessage,
    CommandText,
    FileRef,
    IncomingMessage,
)
from core.messages import SLACK as SLACK  # re-exported: the app takes the platform name from here
from core.text import strip_bidi

COMMAND = "/helpline"

# Subtypes that are still someone asking something; edits, deletions, joins and bot posts are not.
_ANSWERED_SUBTYPES = frozenset({None, "thread_broadcast", "file_share"})
_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")  # ids end up in addresses, so no "/", ":" or spaces
_TS = re.compile(r"[0-9]{1,12}\.[0-9]{1,9}")
_SCORES = range(0, 11)  # every survey scale: CSAT 1-5 and NPS 0-10


def unescape(text: str) -> str:
    """What the user typed, from the text of a Slack event (Slack sends ``&``, ``<`` and ``>`` as entities)."""
    # "&amp;" last, so a typed "&lt;" (sent as "&amp;lt;") stays "&lt;".
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


# Slack's markup in escaped command text: <@U1|ana>, <#C1|general>, <!here>, <!subteam^S1|@team>, <https://x|x>.
_MARKUP = re.compile(r"<([@#!]?)([^<>|]*)(?:\|([^<>]*))?>")


def _plain(match: re.Match[str]) -> str:
    sigil, target, label = match.groups()
    if sigil == "@":  # a person: kept as <@U…>, which the core reads as that person
        return f"<@{target}>"
    if sigil == "#":
        return f"#{label or target}"
    if sigil == "!":
        return label if label and label.startswith("@") else "@" + target.split("^")[0]
    return target  # a link: its address


def command_text(text: str) -> str:
    """What was typed after ``/helpline``: Slack's markup (the manifest asks Slack to escape it) read back.

    A mentioned user stays ``<@U…>`` so ``assign 12 @ana`` names Ana by her id; channels, ``@here`` and
    links become the words they were typed as, so they reach a customer as text, never as a live mention.
    """
    return unescape(_MARKUP.sub(_plain, text))


def address_of(team: str, channel: str, ts: str, thread_ts: str | None, channel_type: str | None) -> Address:
    """The conversation a message belongs to: its thread, which a top-level message starts."""
    # The bot answers in a thread everywhere, direct messages ("im") included, so ``channel_type`` changes nothing.
    return Address(SLACK, team, channel, thread_ts or ts)


def message_id(channel: str, ts: str) -> str:
    """The id of a message, the same in its ``message`` and ``app_mention`` events so the core sees it once."""
    return f"{channel}:{ts}"


def strip_mention(text: str, bot_user_id: str) -> str:
    """The text without mentions of the bot (``<@U…>`` or ``<@U…|name>``)."""
    mention = re.compile(rf"[ \t]*<@{re.escape(bot_user_id)}(?:\|[^>]*)?>[:,]?[ \t]*")
    return mention.sub(" ", text).strip()


def _text(data: Mapping[str, Any], key: str) -> str | None:
    value = data.get(key)
    return value if isinstance(value, str) and value else None


def _map(data: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = data.get(key)
    return value if isinstance(value, Mapping) else {}


def _ident(value: object) -> str | None:
    return value if isinstance(value, str) and _ID.fullmatch(value) else None


def _stamp(value: object) -> str | None:
    return value if isinstance(value, str) and _TS.fullmatch(value) else None


@dataclass(frozen=True)
class Event:
    """A ``message`` or ``app_mention`` event Helpline may answer."""

    event_id: str
    type: str
    team: str  # the workspace the channel lives in, the same for every writer in a shared channel
    channel: str
    channel_type: str | None
    user: str
    user_team: str  # the writer's own workspace (a Slack Connect customer's), else the channel's
    text: str
    ts: str
    thread_ts: str | None
    bot_id: str | None
    subtype: str | None
    files: tuple[FileRef, ...] = ()  # what was shared with the message (a ``file_share`` may have no text)


def _answerable(event: Mapping[str, Any]) -> bool:
    subtype = event.get("subtype")
    return (
        event.get("type") in ("message", "app_mention")
        and not event.get("bot_id")  # other apps, and our own replies, post with a bot id
        and isinstance(subtype, str | None)
        and subtype in _ANSWERED_SUBTYPES
    )


def read_event(envelope: Mapping[str, Any]) -> Event | None:
    """The event in an ``event_callback`` envelope, or None for anything Helpline ignores or cannot read."""
    if not isinstance(envelope, Mapping) or envelope.get("type") != "event_callback":
        return None
    event = _map(envelope, "event")
    text, thread_ts, channel_type = event.get("text", ""), event.get("thread_ts"), event.get("channel_type")
    if not _answerable(event) or not isinstance(text, str) or not isinstance(channel_type, str | None):
        return None
    if thread_ts is not None and _stamp(thread_ts) is None:
        return None
    team = _ident(envelope.get("context_team_id") or envelope.get("team_id"))
    channel, user, ts = _ident(event.get("channel")), _ident(event.get("user")), _stamp(event.get("ts"))
    event_id = _text(envelope, "event_id")
    if not (team and channel and user and ts and event_id):
        return None
    user_team = _ident(event.get("user_team") or event.get("team")) or ""
    subtype, files = event.get("subtype"), read_files(event.get("files"))
    return Event(
        event_id, event["type"], team, channel, channel_type, user, user_team, text, ts, thread_ts, None, subtype, files
    )


def read_files(files: object) -> tuple[FileRef, ...]:
    """The files of a message event as references: name, link (the file's page in Slack), type and size.

    Slack sends a file it will not describe (one past a free plan's limit, one behind Slack Connect's
    ``check_file_info``) with little more than its id: it is kept as an unnamed file without a link.
    """
    found = []
    for file in (files if isinstance(files, list) else [])[:MAX_FILES]:
        if not isinstance(file, Mapping):
            continue
        name = _text(file, "name") or _text(file, "title") or ""
        url = _text(file, "permalink") or _text(file, "url_private") or ""
        size = file.get("size")
        found.append(FileRef(name, url, _text(file, "mimetype") or "", size if type(size) is int else None))
    return tuple(found)


def _received_at(ts: str) -> datetime | None:
    try:
        return datetime.fromtimestamp(float(ts), tz=UTC)
    except (ValueError, OverflowError, OSError):
        return None


def incoming(event: Event, bot_user_id: str, staff_roles: frozenset[str]) -> IncomingMessage:
    """The core's message for an event, its text as typed; the author's name is their user id."""
    return IncomingMessage(
        address_of(event.team, event.channel, event.ts, event.thread_ts, event.channel_type),
        Author(event.user, event.user, staff_roles, team=event.user_team),
        # The mention is taken out first: only Slack's own markup, never typed text, can form one.
        unescape(strip_mention(event.text, bot_user_id)),
        message_id=message_id(event.channel, event.ts),
        received_at=_received_at(event.ts),
        files=event.files,
    )


@dataclass(frozen=True)
class ButtonPress:
    """A press of one of Helpline's buttons."""

    team: str
    channel: str
    message_ts: str
    thread_ts: str | None
    user: str
    user_team: str
    value: str
    response_url: str
    action_ts: str


def _helpline_action(payload: Mapping[str, Any]) -> Mapping[str, Any] | None:
    actions = payload.get("actions")
    for action in actions if isinstance(actions, list) else []:
        if isinstance(action, Mapping) and str(action.get("action_id", "")).startswith(ACTION_PREFIX):
            return action
    return None


def read_button(payload: Mapping[str, Any]) -> ButtonPress | None:
    """The press in a ``block_actions`` payload, or None if it is not a well-formed Helpline button."""
    action = _helpline_action(payload) if isinstance(payload, Mapping) else None
    if action is None or payload.get("type") != "block_actions":
        return None
    container, user, message = _map(payload, "container"), _map(payload, "user"), _map(payload, "message")
    # "team" is the workspace the app serves even when a Slack Connect guest presses; it is null in
    # organisation-wide installs, where the presser's team is the best there is.
    team = _ident(_map(payload, "team").get("id") or user.get("team_id"))
    channel, user_id = _ident(container.get("channel_id")), _ident(user.get("id"))
    message_ts, action_ts = _stamp(container.get("message_ts")), _stamp(action.get("action_ts"))
    thread_ts = _stamp(container.get("thread_ts") or message.get("thread_ts"))
    value, response_url = _text(action, "value"), _text(payload, "response_url")
    if not (team and channel and user_id and message_ts and action_ts and value and response_url):
        return None
    try:
        choice = Choice.parse(value)
    except ValueError:
        return None
    if choice.action is Action.RATE and (choice.ticket is None or choice.score not in _SCORES):
        return None  # a rating no survey of ours offers (forged or mistyped)
    user_team = _ident(user.get("team_id")) or team
    return ButtonPress(team, channel, message_ts, thread_ts, user_id, user_team, value, response_url, action_ts)


def settled(payload: Mapping[str, Any], who: str) -> SlackMessage | None:
    """The pressed message again with its buttons replaced by who chose what, or None if it cannot be rebuilt."""
    message, action = _map(payload, "message"), _helpline_action(payload)
    blocks, text = message.get("blocks"), message.get("text")
    if action is None or not isinstance(blocks, list) or not isinstance(text, str):
        return None
    label = _map(action, "text").get("text")
    label = strip_bidi(label if isinstance(label, str) else str(action.get("value", ""))).strip()[:LABEL_LIMIT]
    # The message is Slack's own copy of what the bot posted, so its text and blocks are already safe.
    kept = [block for block in blocks if isinstance(block, dict) and block.get("block_id") != CHOICES_BLOCK_ID]
    note = {"type": "context", "elements": [mrkdwn(f"{escape(who)} chose “{escape(label)}”.")]}
    return SlackMessage(text, [*kept, note])


def button_incoming(press: ButtonPress, staff_roles: frozenset[str]) -> ChoiceMessage:
    """The core's choice for a button press, in the conversation whose thread holds the button."""
    choice = Choice.parse(press.value)  # read_button let only a valid value through
    return ChoiceMessage(
        address_of(press.team, press.channel, press.message_ts, press.thread_ts, None),
        Author(press.user, press.user, staff_roles, team=press.user_team),
        choice.action,
        choice.ticket,
        message_id=f"action:{press.channel}:{press.message_ts}:{press.user}:{press.action_ts}",
        score=choice.score,  # a survey's rating
    )


@dataclass(frozen=True)
class SlashCommand:
    """A ``/helpline`` command."""

    team: str
    channel: str
    user: str
    user_team: str
    text: str
    response_url: str
    trigger_id: str


def read_command(form: Mapping[str, Any]) -> SlashCommand | None:
    """The ``/helpline`` command in a slash command's form fields, or None."""
    if not isinstance(form, Mapping) or form.get("command") != COMMAND:
        return None
    team, channel, user = (_ident(form.get(key)) for key in ("team_id", "channel_id", "user_id"))
    text, response_url, trigger_id = form.get("text", ""), _text(form, "response_url"), _text(form, "trigger_id")
    if not (team and channel and user and response_url and trigger_id) or not isinstance(text, str):
        return None
    return SlashCommand(team, channel, user, team, text, response_url, trigger_id)


def command_incoming(cmd: SlashCommand, staff_roles: frozenset[str]) -> CommandText:
    """The core's command, as typed after ``/helpline``; a bare ``/helpline`` asks for help."""
    return CommandText(
        Address(SLACK, cmd.team, cmd.channel),
        Author(cmd.user, cmd.user, staff_roles, team=cmd.user_team),
        command_text(cmd.text).strip() or "help",
        message_id=f"command:{cmd.trigger_id}",
    )


def thread_ts_of(address: Address) -> str | None:
    """The thread a message to ``address`` goes in, if any."""
    return address.thread or None


def channel_of(address: Address, default_channel: str | None) -> str:
    """The channel a message to ``address`` goes to; bare ``slack`` means the escalation channel."""
    channel = address.channel or default_channel
    if not channel:
        raise ValueError(f"{address} names no channel and slack.escalation_channel is not set")
    return channel
