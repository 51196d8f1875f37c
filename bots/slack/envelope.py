"""What a signed Slack request must look like before bolt reads it.

slack-bolt trusts the shapes Slack documents: it calls ``.get`` on ``event``, takes ``len`` of
``authorizations`` and joins ids into strings. A body of another shape (``[]``, an ``event`` that is a
string, a ``user`` that is a number) made it raise, and the route answered 500, which Slack retries.
The body is read here the way bolt reads it, and the parts bolt and Helpline look at are checked
against typed models, strictly; anything else is a ``SlackRequestError`` and a 400. Keys Slack may
add later stay allowed: only the types of the known ones are held to.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from slack_bolt.request.internals import parse_body

# Slack's own messages are at most 40,000 characters and its payloads far below this; a ceiling
# keeps an unsigned flood from being held in memory before its signature is checked.
MAX_BODY = 1024 * 1024


_OBJECTS = frozenset(
    {
        "event",
        "message",
        "previous_message",
        "item",
        "assistant_thread",
        "container",
        "view",
        "function_data",
        "function",
        "workflow_step",
    }
)


class SlackRequestError(ValueError):
    """A signed request whose body is not one Slack sends; the text says what is wrong, for the log."""


class _Part(BaseModel):
    """A JSON object of Slack's: the listed keys must have their documented types, others may be anything."""

    model_config = ConfigDict(strict=True, extra="allow")

    @model_validator(mode="before")
    @classmethod
    def _objects_not_null(cls, data: Any) -> Any:
        # bolt reads ``payload.get("event", {}).get(...)``: a key that is there must hold an object.
        if isinstance(data, dict):
            for key in sorted(_OBJECTS & data.keys()):
                if data[key] is None:
                    raise ValueError(f"{key} is null")
        return data


class Ref(_Part):
    """``user``, ``team``, ``channel`` or ``enterprise`` when Slack sends an object instead of an id."""

    id: str | None = None
    team_id: str | None = None
    enterprise_id: str | None = None


class Authorization(_Part):
    """One of ``authorizations``: whom the app acts for."""

    enterprise_id: str | None = None
    team_id: str | None = None
    user_id: str | None = None
    is_enterprise_install: bool | None = None


class Action(_Part):
    """One of a ``block_actions`` payload's ``actions``."""

    type: str | None = None
    action_id: str | None = None
    block_id: str | None = None
    value: str | None = None
    action_ts: str | None = None
    name: str | None = None


class Part(_Part):
    """An event, a message, a container, a view: the ids bolt reads from any of them."""

    type: str | None = None
    subtype: str | None = None
    user: str | Ref | None = None
    team: str | Ref | None = None
    channel: str | Ref | None = None
    enterprise: str | Ref | None = None
    user_id: str | None = None
    team_id: str | None = None
    channel_id: str | None = None
    enterprise_id: str | None = None
    user_team: str | None = None
    bot_id: str | None = None
    ts: str | None = None
    thread_ts: str | None = None
    message_ts: str | None = None
    app_installed_team_id: str | None = None
    function_execution_id: str | None = None
    bot_access_token: str | None = None
    callback_id: str | None = None
    action_id: str | None = None
    block_id: str | None = None
    message: Part | None = None
    previous_message: Part | None = None
    item: Part | None = None
    assistant_thread: Part | None = None
    function: Part | None = None
    workflow_step: Part | None = None


class Envelope(Part):
    """The top level of an event envelope, an interaction payload or a slash command's form."""

    event: Part | None = None
    authorizations: list[Authorization] | None = None
    actions: list[Action] | None = Field(default=None, min_length=1)  # bolt reads the first
    container: Part | None = None
    view: Part | None = None
    function_data: Part | None = None
    is_ext_shared_channel: bool | None = None
    event_id: str | None = None
    context_team_id: str | None = None
    context_enterprise_id: str | None = None
    challenge: str | None = None
    command: str | None = None
    response_url: str | None = None
    trigger_id: str | None = None

    @model_validator(mode="after")
    def _presses_name_their_action(self) -> Envelope:
        # bolt's action matcher reads ``actions[0]["action_id"]`` before any listener runs.
        if self.type == "block_actions" and (not self.actions or any(a.action_id is None for a in self.actions)):
            raise ValueError("a block_actions payload needs actions, each with an action_id")
        return self


def content_type_of(header: str | None) -> str | None:
    """The media type of a ``Content-Type`` header, as bolt takes it (without parameters)."""
    return header.split(";")[0] if header else None


def read_request(body: bytes, content_type: str | None) -> str:
    """The body as bolt is to read it; ``SlackRequestError`` unless it holds a shape Slack sends."""
    try:
        text = _for_bolt(body.decode("utf-8"), content_type_of(content_type))
        payload = parse_body(text, content_type_of(content_type))
    except UnicodeDecodeError:
        raise SlackRequestError("the body is not UTF-8") from None
    except RecursionError:
        raise SlackRequestError("the body is nested too deeply") from None
    except ValueError:
        raise SlackRequestError("the body is not the JSON or form Slack sends") from None
    if not isinstance(payload, dict):
        raise SlackRequestError(f"the payload is a JSON {_kind(payload)}, not an object")
    try:
        Envelope.model_validate(payload)
        # Text that cannot be stored: a lone surrogate, which JSON can spell as an escape.
        json.dumps(payload, ensure_ascii=False).encode("utf-8")
    except ValidationError as exc:
        raise SlackRequestError(f"the payload is not shaped as Slack's: {_first(exc)}") from None
    except UnicodeEncodeError:
        raise SlackRequestError("the payload holds text that is not valid Unicode") from None
    except RecursionError:
        raise SlackRequestError("the body is nested too deeply") from None
    return text


def _for_bolt(text: str, content_type: str | None) -> str:
    """A form that is not an interaction, with the word "payload" spelled so bolt does not take it for one.

    bolt reads any form body containing "payload" as an interaction, and a slash command whose text
    says "payload" as an empty request. ``p%61yload`` is the same text once the form is decoded.
    """
    if content_type == "application/json" or text.startswith("{") or "payload" not in text:
        return text
    if any(key == "payload" for key, _ in parse_qsl(text, keep_blank_values=True)):
        return text
    return text.replace("payload", "p%61yload")


def _kind(value: object) -> str:
    return {list: "array", str: "string", type(None): "null", bool: "boolean"}.get(type(value), "number")


def _first(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"] if not str(part).startswith(("str", "Ref")))
    return f"{where or 'the payload'}: {error['msg']}"
