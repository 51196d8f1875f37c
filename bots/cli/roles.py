"""What one ``helpline serve`` process runs: the web endpoints, the escalation worker, the Discord gateway, or all.

Many processes of each role can share one PostgreSQL database; the deduplication and claiming that keep
them from answering or escalating twice live in the database, so the roles only decide what starts where.
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
import logging
import signal
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Annotated, Any, Optional, Protocol, runtime_checkable

import typer

from config.intents import load_intents
from core.errors import HelplineError
from core.store.engine import clock_skew

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

    from bots.adapters import AdapterStatus
    from config.settings import Settings
    from core.understanding.understander import Understanding

log = logging.getLogger("helpline.serve")


class Role(enum.StrEnum):
    """A process's part in a deployment; ``all`` is the single-process default."""

    WEB = "web"
    WORKER = "worker"
    DISCORD = "discord"
    ALL = "all"


class RoleError(HelplineError):
    """A role and options that do not fit together."""


@dataclass(frozen=True)
class Shard:
    """One Discord gateway shard of ``count``: Discord sends it the servers whose ``(guild_id >> 22) % count == id``."""

    id: int
    count: int


@dataclass(frozen=True)
class RolePlan:
    """What a process starts."""

    role: Role
    web: bool  # the HTTP server: /healthz and the platforms' webhook and event routes
    worker: bool  # the escalation worker
    gateway: bool  # the Discord gateway connection that receives messages; others only post through Discord's API
    shard: Shard | None = None
    auto_shard: bool = False  # every shard Discord recommends, in this process

    def describe(self) -> str:
        """One line for the start-up log."""
        parts = [name for name, on in (("web", self.web), ("escalation worker", self.worker)) if on]
        if self.gateway and self.auto_shard:
            parts.append("Discord, as many shards as Discord recommends")
        elif self.gateway:
            parts.append(f"Discord shard {self.shard.id} of {self.shard.count}" if self.shard else "Discord")
        return f"role {self.role}: {', '.join(parts)}"


def plan_for(
    role: Role, shard_id: int | None = None, shard_count: int | None = None, *, auto_shard: bool = False
) -> RolePlan:
    """The plan for ``role``; shards only make sense for a process that connects to the Discord gateway."""
    gateway = role in (Role.DISCORD, Role.ALL)
    shard = _shard(shard_id, shard_count)
    if (shard is not None or auto_shard) and not gateway:
        raise RoleError(f"--shard-id/--shard-count/--auto-shard need --role discord or all, not {role}")
    if shard is not None and auto_shard:
        raise RoleError("use either --auto-shard or --shard-id/--shard-count, not both")
    web, worker = role in (Role.WEB, Role.ALL), role in (Role.WORKER, Role.ALL)
    return RolePlan(role, web=web, worker=worker, gateway=gateway, shard=shard, auto_shard=auto_shard)


ALL = RolePlan(Role.ALL, web=True, worker=True, gateway=True)

# The ``serve`` options that choose a plan.
RoleOption = Annotated[
    Role, typer.Option("--role", help="What this process runs: web, worker, discord, or all of them.")
]
ShardIdOption = Annotated[
    Optional[int],  # noqa: UP045 - typer reads the annotation at run time
    typer.Option("--shard-id", min=0, help="With --role discord: this process's Discord shard (from 0)."),
]
ShardCountOption = Annotated[
    Optional[int],  # noqa: UP045
    typer.Option("--shard-count", min=1, help="With --shard-id: how many Discord shards there are."),
]
AutoShardOption = Annotated[
    bool, typer.Option("--auto-shard", help="With --role discord: run every shard Discord recommends here.")
]


def _shard(shard_id: int | None, shard_count: int | None) -> Shard | None:
    if shard_id is None and shard_count is None:
        return None
    if shard_id is None or shard_count is None:
        raise RoleError("give --shard-id and --shard-count together (e.g. --shard-id 0 --shard-count 2)")
    if shard_count < 1 or not 0 <= shard_id < shard_count:
        last = shard_count - 1
        raise RoleError(f"--shard-id must be from 0 to {last} with --shard-count {shard_count}, got {shard_id}")
    return Shard(shard_id, shard_count)


async def wait_for_stop_signal() -> None:
    """Return on SIGINT or SIGTERM: how a process without the HTTP server (which handles them itself) stops."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    signals = (signal.SIGINT, signal.SIGTERM)
    for sig in signals:
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        for sig in signals:
            with contextlib.suppress(ValueError, RuntimeError):
                loop.remove_signal_handler(sig)


@runtime_checkable
class Refreshable(Protocol):
    """A knowledge index that can switch to the newest version another process built."""

    def refresh(self) -> bool:
        """Switch if there is a newer version; True when it did."""
        ...


async def follow_knowledge(knowledge: object, interval: float, stop: asyncio.Event) -> None:
    """Until ``stop``: every ``interval`` seconds, switch to a newer index version; loading runs off the event loop."""
    if not isinstance(knowledge, Refreshable):
        return
    while not stop.is_set():
        try:
            await asyncio.to_thread(knowledge.refresh)
        except Exception:  # a bad version is refused inside refresh; anything else must not end the loop
            log.exception("checking for a newer knowledge index failed; trying again in %.0f s", interval)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=interval)


class NoUnderstanding:
    """Stands in for the model in a worker process, which escalates tickets but never reads a message."""

    def understand(self, raw: str | bytes) -> Understanding:
        """Refuse: a message reaching a worker is a wiring bug, not something to guess at."""
        raise RuntimeError("this process runs --role worker and does not answer messages")


def without_model(plan: RolePlan, settings: Settings) -> dict[str, Any]:
    """``build_system`` arguments that spare a worker-only process the model and the knowledge index."""
    if plan.web or plan.gateway:
        return {}
    return {"understander": NoUnderstanding(), "catalog": load_intents(settings.intents.file)}


def check_adapters(plan: RolePlan, discord_on: bool) -> None:
    """Refuse a Discord-only process that has no token: it would run and do nothing."""
    if plan.role is Role.DISCORD and not discord_on:
        raise RoleError("--role discord needs the Discord bot token in DISCORD_TOKEN")


def check_statuses(plan: RolePlan, statuses: Sequence[AdapterStatus]) -> None:
    """``check_adapters`` for the adapters ``serve`` found: a role named after a platform needs that adapter on."""
    check_adapters(plan, discord_on=any(status.on and status.platform == Role.DISCORD for status in statuses))


async def finish(cleanup: Awaitable[None]) -> None:
    """Await ``cleanup`` to its end even if this task is cancelled meanwhile.

    uvicorn re-sends the SIGINT that stopped it, and asyncio answers that by cancelling the main task,
    which would cut the shutdown short (and close database connections mid-handshake).
    """
    done = asyncio.ensure_future(cleanup)
    while not done.done():
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.shield(done)
    done.result()


# NTP keeps hosts within milliseconds; a few seconds means it is not running. Exactly-once delivery holds up
# to a quarter of the worker's lease (30 s by default, see EscalationWorker); due times move by the skew itself.
SKEW_WARNING_SECONDS = 5.0


async def check_clock(engine: AsyncEngine | None) -> timedelta | None:
    """Log a warning when this host's clock disagrees with PostgreSQL's by more than a few seconds."""
    if engine is None:
        return None
    skew = await clock_skew(engine)
    if skew is not None and abs(skew.total_seconds()) > SKEW_WARNING_SECONDS:
        log.warning(
            "this host's clock is %+.1f s off the database server's: SLA actions fire that much early or late, "
            "and beyond a quarter of the worker lease a notice can be sent twice; keep every host on NTP",
            skew.total_seconds(),
        )
    return skew
