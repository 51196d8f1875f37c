"""Posting to Slack: the Web API client, per-channel pacing, and the core's notifier port for Slack."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, replace

from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

from bots.slack.translate import SLACK, SlackMessage, channel_of, render, thread_ts_of
from core.messages import Attachment, Destination, Outbound, Reply, ReplyKind
from core.notify import UndeliverableError

log = logging.getLogger("helpline.slack")

DEFAULT_API_URL = "https://slack.com/api/"
# A 429 says how long to wait (Retry-After); a message is tried this many more times before it is given up.
RATE_LIMIT_RETRIES = 5
# Notices to the team that link to the customer's thread.
_LINKED = frozenset({ReplyKind.ESCALATION, ReplyKind.WARNING})
NO_FILES_SCOPE = "(The chart is not attached: the Slack app needs the files:write scope; see docs/slack.md.)"


def make_client(token: str, api_url: str | None = None) -> AsyncWebClient:
    """A Web API client that waits out 429s (Retry-After) and retries dropped connections."""
    base = (api_url or DEFAULT_API_URL).rstrip("/") + "/"
    handlers = [AsyncConnectionErrorRetryHandler(), AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES)]
    return AsyncWebClient(token=token, base_url=base, retry_handlers=list(handlers))


class ChannelPacer:
    """Spaces the messages to one channel ``interval`` seconds apart; other channels do not wait."""

    def __init__(
        self,
        interval: float,
        now: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._interval = interval
        self._now = now
        self._sleep = sleep
        self._locks: dict[str, asyncio.Lock] = {}
        self._next: dict[str, float] = {}

    @contextlib.asynccontextmanager
    async def turn(self, channel: str) -> AsyncIterator[None]:
        """Wait until ``channel`` may be written to again, and hold it while writing."""
        lock = self._locks.setdefault(channel, asyncio.Lock())
        async with lock:
            wait = self._next.get(channel, 0.0) - self._now()
            if wait > 0:
                await self._sleep(wait)
            try:
                yield
            finally:
                self._next[channel] = self._now() + self._interval


class SlackPoster:
    """Posts rendered messages with the bot token, paced per channel."""

    def __init__(self, client: AsyncWebClient, pacer: ChannelPacer) -> None:
        self.client = client
        self._pacer = pacer

    async def post(self, channel: str, message: SlackMessage, thread_ts: str | None = None) -> str | None:
        """Post ``message`` (in ``thread_ts``'s thread if given); the new message's ts."""
        async with self._pacer.turn(channel):
            response = await self.client.chat_postMessage(
                channel=channel,
                text=message.text,
                blocks=message.blocks,
                thread_ts=thread_ts,
                unfurl_links=False,  # an article link would otherwise add a preview to every answer
                unfurl_media=False,
            )
        ts = response.get("ts")
        return ts if isinstance(ts, str) else None

    async def upload(
        self, channel: str, files: Sequence[Attachment], thread_ts: str | None = None, comment: str | None = None
    ) -> None:
        """Upload ``files`` into the channel (or thread) as one share (``files.uploadV2``), ``comment`` its text."""
        uploads = [{"content": a.data, "filename": a.name, "title": a.name} for a in files]
        async with self._pacer.turn(channel):
            await self.client.files_upload_v2(
                channel=channel, file_uploads=uploads, thread_ts=thread_ts, initial_comment=comment
            )

    async def permalink(self, channel: str, ts: str) -> str | None:
        """A link to a message, or None if Slack will not give one (the link is a convenience)."""
        try:
            response = await self.client.chat_getPermalink(channel=channel, message_ts=ts)
        except SlackApiError as exc:
            log.warning("no permalink for %s/%s: %s", channel, ts, exc.response.get("error"))
            return None
        link = response.get("permalink")
        return link if isinstance(link, str) else None


@dataclass(frozen=True)
class NoticeOptions:
    """Where core-initiated messages go, and whom an escalation naming nobody on Slack mentions."""

    escalation_channel: str | None = None
    staff_group: str | None = None


def direct_channel(outbound: Outbound) -> str | None:
    """A direct message's channel: the Slack user it mentions (posting to a user id opens the DM), when the
    address names no channel; None for everything else."""
    reply = outbound.reply
    if reply.destination is not Destination.DIRECT or outbound.address.channel:
        return None
    users = [m.id for m in reply.mentions if m.platform == SLACK and m.kind == "user"]
    return users[0] if users else None


class SlackNotifier:
    """The core's notifier port for Slack: escalations to a channel, notices to a customer's thread."""

    def __init__(self, options: NoticeOptions, poster: SlackPoster | None = None) -> None:
        self.options = options
        self.poster = poster  # set by the runner once the client exists

    async def send(self, outbound: Outbound) -> None:
        """Deliver, or raise so the core can retry later (escalations) or say it failed (replies)."""
        poster = self.poster
        if poster is None:
            raise UndeliverableError(f"cannot deliver to {outbound.address}: the Slack bot is not running")
        try:
            channel = direct_channel(outbound) or channel_of(outbound.address, self.options.escalation_channel)
        except ValueError as exc:
            raise UndeliverableError(str(exc)) from None
        reply, link = outbound.reply, None
        origin = reply.origin
        if (
            reply.kind in _LINKED
            and origin is not None
            and origin.platform == SLACK
            and origin.channel
            and origin.thread
        ):
            link = await poster.permalink(origin.channel, origin.thread)
        # render mentions the group only on an escalation that names no Slack user or group itself.
        message = render(reply, mention_group=self.options.staff_group, origin_link=link)
        thread_ts = thread_ts_of(outbound.address)
        try:
            if reply.attachments and not reply.choices:
                # One share, text and files together: a refused upload is retried whole, never posting the text twice.
                if await self._share(poster, channel, reply, message.text, thread_ts):
                    return
                reply = replace(reply, text=f"{reply.text}\n{NO_FILES_SCOPE}", attachments=())
                message = render(reply, mention_group=self.options.staff_group, origin_link=link)
            await poster.post(channel, message, thread_ts)
            if reply.attachments:  # buttons need a message of blocks, so its files follow it
                await poster.upload(channel, reply.attachments, thread_ts)
        except SlackApiError as exc:
            raise UndeliverableError(f"Slack refused the message to {channel}: {exc.response.get('error')}") from None

    async def _share(self, poster: SlackPoster, channel: str, reply: Reply, text: str, thread_ts: str | None) -> bool:
        """Upload the files with ``text``; False if the app may not upload (then the text goes alone)."""
        try:
            await poster.upload(channel, reply.attachments, thread_ts, comment=text)
        except SlackApiError as exc:
            if exc.response.get("error") != "missing_scope":
                raise
            # Nothing was shared: the first step was refused. Retrying would never work, so the text goes alone.
            log.warning("the Slack app lacks the files:write scope; posting to %s without its files", channel)
            return False
        return True
