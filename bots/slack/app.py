"""The Slack bot: the thin shell between slack-bolt and the support desk.

Every listener acknowledges first and does the slow part (staff lookup, the model, the database,
posting) in a background task, so Slack always gets its answer within three seconds.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import re
import weakref
from collections.abc import Coroutine, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.errors import SlackApiError

from bots.slack.comments import Asked, CommentForms, comment_block
from bots.slack.events import event_drain, event_job, read_join
from bots.slack.names import NameBook
from bots.slack.outbox import NoticeOptions, SlackPoster
from bots.slack.staff import StaffDirectory
from bots.slack.translate import (
    COMMAND,
    SLACK,
    Event,
    address_of,
    button_incoming,
    command_incoming,
    incoming,
    read_button,
    read_command,
    read_event,
    settled,
)
from bots.slack.translate_blocks import ACTION_PREFIX, render
from core.desk.context import actor_of
from core.desk.pipeline import SupportDesk
from core.job_drain import DrainFactory
from core.messages import Action, Address, Author, ChoiceMessage, CommandText, IncomingMessage, Reply, ReplyKind

log = logging.getLogger("helpline.slack")

# Choices whose answer concerns only the one who pressed: it goes to them alone, not to the thread.
_PRIVATE_CHOICES = frozenset({Action.CLAIM, Action.HELPFUL, Action.RATE, Action.VOTE, Action.UNVOTE})
_Named = TypeVar("_Named", IncomingMessage, ChoiceMessage, CommandText)


@dataclass(frozen=True)
class SlackOptions:
    """The bot's settings (see ``slack`` in docs/configuration.md)."""

    support_channels: frozenset[str] = frozenset()
    # The roles staff get in the core: they must be moderator roles there (support.moderator_roles).
    staff_roles: frozenset[str] = frozenset({"moderator"})
    notices: NoticeOptions = field(default_factory=NoticeOptions)


class SlackBot:
    """Answers in threads, runs the buttons and ``/helpline``; one conversation at a time per thread."""

    def __init__(
        self,
        app: AsyncApp,
        desk: SupportDesk,
        poster: SlackPoster,
        staff: StaffDirectory,
        names: NameBook,
        options: SlackOptions,
        drains: DrainFactory,
    ) -> None:
        self.app = app
        self.desk = desk
        self.poster = poster
        self.options = options
        self._staff = staff
        self._names = names
        self._tasks: set[asyncio.Task[None]] = set()
        self._locks: weakref.WeakValueDictionary[Address, asyncio.Lock] = weakref.WeakValueDictionary()
        self.events = event_drain(drains, self._event)
        app.event("message")(self._on_event)
        app.event("app_mention")(self._on_event)
        app.event("member_joined_channel")(self._on_join)
        app.action(re.compile("^" + re.escape(ACTION_PREFIX)))(self._on_button)
        app.command(COMMAND)(self._on_command)
        self.comments = CommentForms(app, lambda: self.desk)  # a survey's "Add a comment" modal

    # Listeners: bolt passes arguments by name; each acknowledges, then hands the work to a task.

    async def _on_event(self, ack: AsyncAck, body: dict[str, Any], context: AsyncBoltContext) -> None:
        bot_user = context.bot_user_id or ""
        event = read_event(body)
        if event is not None and event.user != bot_user and not _mention_twin(event, bot_user):
            # Stored before the ack: Slack never retries an acknowledged event. If storing fails the
            # listener raises, Slack gets no ack and retries later.
            try:
                await self.events.accept(*event_job(event.event_id, body, bot_user))
            except ValueError as exc:  # an event id too long for the jobs table: not an event Slack sends
                log.warning("a Slack event was not stored: %s", exc)
        await ack()
        self._spawn(self._drain(), "event")

    async def _on_join(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        self._spawn(self._joined(body), "channel join")

    async def _drain(self) -> None:
        await self.events.run_once()

    async def _on_button(self, ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        await ack()
        self._spawn(self._button(body, respond), "button press")

    async def _on_command(self, ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        await ack()
        self._spawn(self._command(body, respond), "slash command")

    def _spawn(self, work: Coroutine[Any, Any, None], what: str) -> None:
        task = asyncio.create_task(self._guarded(work, what))
        self._tasks.add(task)  # kept, so the task is not collected mid-way and shutdown can wait for it
        task.add_done_callback(self._tasks.discard)

    async def _guarded(self, work: Coroutine[Any, Any, None], what: str) -> None:
        try:
            await work
        except Exception:  # one failing delivery must never stop the bot
            log.exception("handling a Slack %s failed", what)

    async def idle(self) -> None:
        """Wait until every acknowledged request has been handled (tests, shutdown)."""
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    def _lock_for(self, address: Address) -> asyncio.Lock:
        # A quick follow-up must never overtake its question, nor two retries race each other.
        lock = self._locks.get(address)
        if lock is None:
            lock = self._locks[address] = asyncio.Lock()
        return lock

    async def _first_delivery(self, delivery_id: str) -> bool:
        # Durable: Slack retries an event it thinks was missed (Socket Mode without any retry header).
        return await self.desk.first_delivery(SLACK, delivery_id)

    async def _roles(self, user: str) -> frozenset[str]:
        return self.options.staff_roles if await self._staff.is_staff(user) else frozenset()

    async def _named(self, message: _Named) -> _Named:
        # Slack's payloads carry only user ids; tickets and notices read better with the person's name.
        name, zone = await self._names.person(message.author.id)
        author = dataclasses.replace(message.author, name=name, zone=zone)
        return dataclasses.replace(message, author=author)

    # The work.

    async def _event(self, body: dict[str, Any], bot_user: str) -> None:
        """Handle one stored event (the event drain runs them in order; a redelivered one never got this far)."""
        event = read_event(body)
        if event is None or event.user == bot_user or _mention_twin(event, bot_user):
            return
        # No delivery claim here: a restart handles the event again, and the desk keeps a message it has
        # already recorded from opening a second ticket or being answered twice.
        async with self._lock_for(address_of(event.team, event.channel, event.ts, event.thread_ts, None)):
            staff = await self._staff.is_staff(event.user)
            message = incoming(event, bot_user, self.options.staff_roles if staff else frozenset())
            if not await self._wanted(event, message, staff):
                return
            replies = await self.desk.handle(await self._named(message))
            await self._post_all(message.address, replies)

    async def _joined(self, body: dict[str, Any]) -> None:
        """Someone joined a support channel (any channel the bot is in when none are listed): their journey."""
        join = read_join(body)
        channels = self.options.support_channels
        if join is None or (channels and join.channel not in channels):
            return
        author = Author(join.user, await self._names.name(join.user), team=join.user_team)
        await self.desk.person_joined(Address(SLACK, join.team, join.channel), author, "slack_join")

    async def _wanted(self, event: Event, message: IncomingMessage, staff: bool) -> bool:
        """Whether Helpline answers this message (mentions and DMs always; see docs/slack.md)."""
        if event.type == "app_mention" or event.channel_type == "im":
            return True
        address, in_support = message.address, event.channel in self.options.support_channels
        if event.thread_ts is None:  # a new message in a channel: a question only in a support channel
            return in_support and not staff
        if staff:  # staff talk among themselves; in a ticket's thread they are the human response
            return await self.desk.has_active_ticket(address)
        if in_support:
            return True
        # Elsewhere, a thread Helpline already talks in (it was mentioned at its start).
        return await self.desk.knows_thread(address)

    async def _post_all(self, address: Address, replies: Sequence[Reply]) -> None:
        for reply in replies:
            try:
                await self.poster.post(address.channel, render(reply), address.thread or None)
            except SlackApiError as exc:  # kept in the store; the log says what the customer missed
                log.error(
                    "could not post a %s reply (ticket %s) to %s: %s",
                    reply.kind,
                    reply.ticket,
                    address,
                    exc.response.get("error"),
                )

    async def _button(self, body: dict[str, Any], respond: AsyncRespond) -> None:
        press = read_button(body)
        if press is None:
            return
        async with self._lock_for(address_of(press.team, press.channel, press.message_ts, press.thread_ts, None)):
            delivery = f"action:{press.channel}:{press.message_ts}:{press.user}:{press.action_ts}"
            if not await self._first_delivery(delivery):
                return
            message = await self._named(button_incoming(press, await self._roles(press.user)))
            action, number = message.action, message.ticket
            before = await self._assignee(number) if action is Action.CLAIM else None
            replies = await self.desk.handle(message)
            if action is Action.CLAIM and number is not None:
                await self._announce_claim(message, number, before, press.message_ts)
        if action in _PRIVATE_CHOICES:
            rated = action is Action.RATE and all(r.kind is not ReplyKind.ERROR for r in replies)
            extra = [comment_block(Asked(number, message.address))] if rated and number is not None else []
            await _answer_privately(respond, replies, extra)
        else:
            await self._post_all(message.address, replies)
        done = all(r.kind is not ReplyKind.ERROR and not r.choices for r in replies)
        # A survey keeps its buttons (ratings can change), and so do the vote buttons others press too.
        if done and action not in (Action.CLAIM, Action.RATE, Action.VOTE, Action.UNVOTE):
            await _settle(respond, body, message.author.name)

    async def _assignee(self, number: int | None) -> str | None:
        return await self.desk.assignee_of(number) if number is not None else None

    async def _announce_claim(self, message: ChoiceMessage, number: int, before: str | None, under: str) -> None:
        """Say under the escalation who took the ticket, so a second person does not claim it over them."""
        after = await self._assignee(number)
        if after is None or after == before or after != actor_of(message):
            return
        note = Reply(ReplyKind.INFO, f"{message.author.name} claimed ticket #{number}.", ticket=number)
        await self._post_all(Address(SLACK, message.address.workspace, message.address.channel, under), [note])

    async def _command(self, body: dict[str, Any], respond: AsyncRespond) -> None:
        command = read_command(body)
        if command is None:
            await respond(text="That command could not be read.", response_type="ephemeral")
            return
        if not await self._first_delivery("command:" + command.trigger_id):
            return
        message = command_incoming(command, await self._roles(command.user))
        replies = await self.desk.handle(await self._named(message))
        await _answer_privately(respond, replies)


def _mention_twin(event: Event, bot_user: str) -> bool:
    """A channel ``message`` that mentions the bot: its ``app_mention`` twin is the one answered."""
    return bool(bot_user) and event.type == "message" and event.channel_type != "im" and f"<@{bot_user}" in event.text


async def _settle(respond: AsyncRespond, body: dict[str, Any], who: str) -> None:
    """Take the buttons off an answer once one was chosen, saying who chose what."""
    again = settled(body, who)
    if again is not None:
        await respond(text=again.text, blocks=again.blocks, replace_original=True)


async def _answer_privately(
    respond: AsyncRespond, replies: Sequence[Reply], extra: list[dict[str, Any]] | None = None
) -> None:
    """Replies only the requester sees (``response_url``, valid for 30 minutes); ``extra`` blocks go under the last."""
    shown = [render(reply) for reply in replies or [Reply(ReplyKind.INFO, "Done.")]]
    for n, message in enumerate(shown):
        blocks = [*message.blocks, *(extra or [])] if n == len(shown) - 1 else message.blocks
        await respond(text=message.text, blocks=blocks, response_type="ephemeral", replace_original=False)
