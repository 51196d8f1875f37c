"""``helpline serve``: the long-running process with the HTTP server, the escalation worker and the adapters."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from typing import Annotated, Optional

import typer
import uvicorn

from bots.adapters import adapter_status
from bots.bootstrap import System, build_system
from bots.cli.common import settings_from
from bots.cli.roles import (
    ALL,
    Role,
    RolePlan,
    check_adapters,
    check_clock,
    finish,
    follow_knowledge,
    plan_for,
    sharded,
    wait_for_stop_signal,
    without_model,
)
from bots.discord.runner import DiscordRunner, discord_options
from bots.github.runner import GitHubRunner, github_runner
from bots.http.app import create_app
from bots.slack.runner import SlackRunner, slack_runner
from config.settings import Settings
from core.clock import SystemClock
from core.messages import CONSOLE, DISCORD, GITHUB, SLACK, Outbound
from core.notify import RoutingNotifier

log = logging.getLogger("helpline.serve")


class LogNotifier:
    """Delivers ``console`` addresses to the server log, where an operator watching it sees them."""

    async def send(self, outbound: Outbound) -> None:
        """Log the message at warning level, so it shows with default logging."""
        log.warning("to %s: %s", outbound.address, outbound.reply.text)


def serve(
    ctx: typer.Context,
    port: Annotated[
        Optional[int],  # noqa: UP045 - typer reads the annotation at run time
        typer.Option("--port", "-p", min=0, max=65535, help="Port to listen on (default: server.port, 8080)."),
    ] = None,
    host: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--host", help="Address to bind (default: server.host, 127.0.0.1)."),
    ] = None,
    role: Annotated[
        Role, typer.Option("--role", help="What this process runs: web, worker, discord, or all of them.")
    ] = Role.ALL,
    shard_id: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option("--shard-id", min=0, help="With --role discord: this process's Discord shard (from 0)."),
    ] = None,
    shard_count: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option("--shard-count", min=1, help="With --shard-id: how many Discord shards there are."),
    ] = None,
    auto_shard: Annotated[
        bool, typer.Option("--auto-shard", help="With --role discord: run every shard Discord recommends here.")
    ] = False,
) -> None:
    """Run Helpline: the HTTP server (/healthz), the escalation worker and every adapter with credentials."""
    plan = plan_for(role, shard_id, shard_count, auto_shard=auto_shard)
    settings = settings_from(ctx)
    logging.getLogger("helpline").setLevel(logging.INFO)
    port = settings.server.port if port is None else port
    asyncio.run(run_server(settings, host or settings.server.host, port, plan))


async def run_server(settings: Settings, host: str, port: int, plan: RolePlan = ALL) -> None:
    """Start what ``plan`` says this process runs, and run until interrupted."""
    log.info("%s; database %s", plan.describe(), _safe_url(settings.database_url()))
    statuses = adapter_status(os.environ)
    for status in statuses:
        log.info("%s adapter: %s (%s)", status.platform, "on" if status.on else "off", status.reason)
    discord_on = any(status.on and status.platform == DISCORD for status in statuses)
    check_adapters(plan, discord_on)
    notifier = RoutingNotifier({CONSOLE: LogNotifier()})
    clock = SystemClock()
    system = await build_system(settings, notifier=notifier, clock=clock, **without_model(plan, settings))
    discord_bot = None
    if discord_on:
        options = sharded(discord_options(settings.discord), plan.shard, auto_shard=plan.auto_shard)
        discord_bot = DiscordRunner(system.desk, options, gateway=plan.gateway)
        notifier.add(DISCORD, discord_bot.notifier)
        discord_bot.start(os.environ["DISCORD_TOKEN"].strip())
    # Every role builds the platforms' notifiers (a worker posts escalations too); only processes that
    # receive events (the web role: HTTP routes, Slack's Socket Mode, the GitHub job queue, which needs
    # the model) start listening.
    slack_bot = None
    if any(status.on and status.platform == SLACK for status in statuses):
        slack_bot = slack_runner(system.desk, system.engine, settings, os.environ)
        notifier.add(SLACK, slack_bot.notifier)
        if plan.web:
            await slack_bot.start()
    github = None
    if any(status.on and status.platform == GITHUB for status in statuses):
        github = github_runner(system.desk, system.engine, settings.github, os.environ, clock, notifier)
        if plan.web:
            github.start()
    interval = settings.support.escalation_interval
    routes = [*(slack_bot.routes() if slack_bot is not None else []), *(github.routes if github else ())]
    app = create_app(system.worker if plan.worker else None, clock, statuses, interval=interval, routes=routes)
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="info", lifespan="off"))
    stop = asyncio.Event()
    worker = asyncio.create_task(system.worker.run_forever(interval, stop)) if plan.worker else None
    follower = asyncio.create_task(follow_knowledge(system.knowledge, settings.knowledge.refresh_interval, stop))
    if worker is not None:
        log.info("escalation worker: every %.0f s; database %s", interval, _safe_url(settings.database_url()))
        await check_clock(system.engine)
    # uvicorn re-sends the signal that stopped it once it has shut down; with the default SIGTERM
    # action that kills the process before the cleanup below, so `docker stop` looked like a crash.
    signal.signal(signal.SIGTERM, lambda *_: None)
    try:
        await (server.serve() if plan.web else wait_for_stop_signal())
    finally:
        stop.set()
        await finish(_close([worker, follower], discord_bot, slack_bot, github, system))


async def _close(
    tasks: list[asyncio.Task[None] | None],
    discord_bot: DiscordRunner | None,
    slack_bot: SlackRunner | None,
    github: GitHubRunner | None,
    system: System,
) -> None:
    for task in tasks:
        if task is not None:
            await task
    for runner in (discord_bot, slack_bot, github):
        if runner is not None:
            await runner.close()
    await system.close()


def _safe_url(url: str) -> str:
    """The database URL without its password, for the log."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
