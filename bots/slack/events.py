"""Slack events made durable: stored in the job queue before Slack gets its ack, handled from there.

Slack never retries an event it got an ack for, so an event only held in memory between the ack and
its handling would be lost with the process. Stored first (in the ticket database's ``jobs`` table,
queue ``slack``), it is handled after a restart instead; its unique key (the ``event_id``) makes
Slack's retries and redeliveries no-ops. The core's ``JobDrain`` runs them, and each job carries its
thread as its conversation, so a thread's messages keep their order across restarts and processes.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from bots.slack.translate import address_of, read_event
from core.job_drain import DrainPolicy, GiveUp

if TYPE_CHECKING:
    from core.job_drain import DrainFactory, JobDrain
    from core.jobs import Job

QUEUE = "slack"
EVENT = "event"
# A process that died while handling an event lets another (or its restart) take it after this.
LEASE = timedelta(minutes=2)
FIRST_BACKOFF = timedelta(seconds=15)
MAX_ATTEMPTS = 5
# Handled events are kept this long, so a redelivery (or an event Slack resends) is still recognised.
KEEP_DONE = timedelta(days=7)
TIDY_EVERY = timedelta(hours=1)

POLICY = DrainPolicy(
    label="Slack event",
    lease=LEASE,
    first_backoff=FIRST_BACKOFF,
    max_attempts=MAX_ATTEMPTS,
    keep_done=KEEP_DONE,
    tidy_every=TIDY_EVERY,
    logger="helpline.slack",
)

Handler = Callable[[dict[str, Any], str], Awaitable[None]]


def event_job(event_id: str, envelope: Mapping[str, Any], bot_user: str) -> tuple[str, str, bytes, str]:
    """``JobDrain.accept``'s key, kind, payload and conversation (the event's thread) for one envelope.

    The payload is JSON (never pickle), with the bot's user id.
    """
    payload = json.dumps({"envelope": envelope, "bot_user": bot_user}, ensure_ascii=False).encode()
    event = read_event(envelope)
    thread = address_of(event.team, event.channel, event.ts, event.thread_ts, None) if event is not None else None
    return f"event:{event_id}", EVENT, payload, str(thread or "")


def read_event_job(job: Job) -> tuple[dict[str, Any], str]:
    """The envelope and bot user id a job was stored with; ``GiveUp`` when it cannot be read."""
    try:
        data = json.loads(job.payload)
        envelope, bot_user = data["envelope"], data["bot_user"]
        if not isinstance(envelope, dict) or not isinstance(bot_user, str):
            raise ValueError("not an event job")
    except (ValueError, KeyError, TypeError) as exc:
        raise GiveUp(f"unreadable: {exc}") from None
    return envelope, bot_user


@dataclass(frozen=True)
class Join:
    """A ``member_joined_channel`` event: who joined which channel of which workspace."""

    team: str
    channel: str
    user: str
    user_team: str  # the member's own workspace (a Slack Connect customer's), else the channel's


def read_join(envelope: Mapping[str, Any]) -> Join | None:
    """The join in an ``event_callback`` envelope, or None for anything else or anything unreadable."""
    event = envelope.get("event") if isinstance(envelope, Mapping) else None
    if not isinstance(event, Mapping) or event.get("type") != "member_joined_channel":
        return None
    team = envelope.get("context_team_id") or envelope.get("team_id") or event.get("team")
    channel, user = event.get("channel"), event.get("user")
    if not all(isinstance(v, str) and v for v in (team, channel, user)):
        return None
    user_team = event.get("user_team") or event.get("team") or team
    return Join(str(team), str(channel), str(user), str(user_team) if isinstance(user_team, str) else str(team))


def event_drain(drains: DrainFactory, handler: Handler) -> JobDrain:
    """The drain of the ``slack`` queue, handing each stored event to ``handler``."""

    async def handle(job: Job) -> None:
        """Read the stored event and handle it; the desk answers its own errors."""
        envelope, bot_user = read_event_job(job)
        await handler(envelope, bot_user)

    return drains(QUEUE, handle, POLICY)
