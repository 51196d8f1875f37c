"""A survey's comment on Slack: "Add a comment" opens a modal, and its submission becomes the rate command.

The button's value and the modal's ``private_metadata`` carry the survey's number and the conversation
it was asked in (``7|slack:T1/C1/1.2``); both are read back strictly, and anything else is ignored.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bots.slack.translate_blocks import render
from core.command_records import Rate
from core.messages import SLACK, Address, Author, CommandMessage, Reply

if TYPE_CHECKING:
    from slack_bolt.async_app import AsyncApp
    from slack_bolt.context.ack.async_ack import AsyncAck
    from slack_sdk.web.async_client import AsyncWebClient

    from core.desk.pipeline import SupportDesk

log = logging.getLogger("helpline.slack")

COMMENT_ACTION = "helpline-comment"
COMMENT_LIMIT = 1000
_FIELD = "comment"


@dataclass(frozen=True)
class Asked:
    """The survey a comment is about, and where it was asked."""

    survey: int
    address: Address

    @property
    def value(self) -> str:
        """The button value and modal metadata that stand for it."""
        return f"{self.survey}|{self.address}"


def read_asked(value: object) -> Asked | None:
    """The survey and conversation a value made by ``Asked.value`` names; None for anything else."""
    if not isinstance(value, str) or len(value) > 2000:
        return None
    number, _, where = value.partition("|")
    try:
        address = Address.parse(where)
    except ValueError:
        return None
    if not (number.isascii() and number.isdigit() and len(number) <= 10) or address.platform != SLACK:
        return None
    return Asked(int(number), address)


def comment_block(asked: Asked) -> dict[str, Any]:
    """The "Add a comment" button shown with the thanks for a rating."""
    button = {
        "type": "button",
        "text": {"type": "plain_text", "text": "Add a comment"},
        "action_id": COMMENT_ACTION,
        "value": asked.value,
    }
    return {"type": "actions", "block_id": COMMENT_ACTION, "elements": [button]}


def comment_modal(asked: Asked) -> dict[str, Any]:
    """The modal a comment is written in."""
    field = {
        "type": "plain_text_input",
        "action_id": _FIELD,
        "multiline": True,
        "max_length": COMMENT_LIMIT,
        "placeholder": {"type": "plain_text", "text": "What went well, or what could we do better?"},
    }
    return {
        "type": "modal",
        "callback_id": COMMENT_ACTION,
        "private_metadata": asked.value,
        "title": {"type": "plain_text", "text": "Tell us more"},
        "submit": {"type": "plain_text", "text": "Send"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            {
                "type": "input",
                "block_id": _FIELD,
                "label": {"type": "plain_text", "text": "Your comment"},
                "element": field,
            }
        ],
    }


def submitted_text(body: dict[str, Any]) -> str | None:
    """The comment typed in a submitted modal, or None when the payload has none."""
    values = ((body.get("view") or {}).get("state") or {}).get("values") or {}
    text = ((values.get(_FIELD) or {}).get(_FIELD) or {}).get("value")
    return text if isinstance(text, str) else None


class CommentForms:
    """Opens the comment modal and hands its submission to the desk as ``Rate(None, comment, survey)``."""

    def __init__(self, app: AsyncApp, desk: Callable[[], SupportDesk]) -> None:
        self._desk = desk
        app.action(COMMENT_ACTION)(self._open)
        app.view(COMMENT_ACTION)(self._submitted)

    async def _open(self, ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        actions = body.get("actions") or [{}]
        asked, trigger = read_asked(actions[0].get("value")), body.get("trigger_id")
        if asked is None or not isinstance(trigger, str):
            return  # not a button of ours
        await client.views_open(trigger_id=trigger, view=comment_modal(asked))

    async def _submitted(self, ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        asked = read_asked((body.get("view") or {}).get("private_metadata"))
        text, user = submitted_text(body), (body.get("user") or {}).get("id")
        if asked is None or text is None or not isinstance(user, str):
            await ack()
            return
        if not text.strip():
            await ack(response_action="errors", errors={_FIELD: "Write a comment, or close the form."})
            return
        await ack()
        team = (body.get("user") or {}).get("team_id") or ""
        author = Author(user, user, team=team if isinstance(team, str) else "")
        message = CommandMessage(asked.address, author, Rate(None, text.strip(), asked.survey))
        replies = await self._desk().handle(message)
        await _tell(client, asked.address, user, replies)


async def _tell(client: AsyncWebClient, address: Address, user: str, replies: Sequence[Reply]) -> None:
    """The desk's answer, shown only to the person who commented, in the survey's thread."""
    for reply in replies:
        shown = render(reply)
        thread = address.thread or None
        await client.chat_postEphemeral(
            channel=address.channel, user=user, text=shown.text, blocks=shown.blocks, thread_ts=thread
        )
