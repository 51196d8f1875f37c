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
from bots.bootstrap import build_system
from bots.cli.common import settings_from
from bots.discord.runner import DiscordRunner, discord_options
from bots.github.runner import github_runner
from bots.http.app import create_app
from bots.slack.runner import SlackCredentials, SlackRunner
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
) -> None:
    """Run Helpline: the HTTP server (/healthz), the escalation worker and every adapter with credentials."""
    settings = settings_from(ctx)
    logging.getLogger("helpline").setLevel(logging.INFO)
    asyncio.run(run_server(settings, host or settings.server.host, settings.server.port if port is None else port))


async def run_server(settings: Settings, host: str, port: int) -> None:
    """Start everything and run until interrupted."""
    statuses = adapter_status(os.environ)
    for status in statuses:
        log.info("%s adapter: %s (%s)", status.platform, "on" if status.on else "off", status.reason)
    notifier = RoutingNotifier({CONSOLE: LogNotifier()})
    clock = SystemClock()
    system = await build_system(settings, notifier=notifier, clock=clock)
    discord_bot = None
    if any(status.on and status.platform == DISCORD for status in statuses):
        discord_bot = DiscordRunner(system.desk, discord_options(settings.discord))
        notifier.add(DISCORD, discord_bot.notifier)
        discord_bot.start(os.environ["DISCORD_TOKEN"].strip())
    slack_bot = None
    if any(status.on and status.platform == SLACK for status in statuses):
        slack_bot = SlackRunner(system.desk, settings, SlackCredentials.from_env(os.environ))
        notifier.add(SLACK, slack_bot.notifier)
        await slack_bot.start()
    github = None
    if any(status.on and status.platform == GITHUB for status in statuses):
        github = github_runner(system.desk, system.engine, settings.github, os.environ, clock, notifier)
        github.start()
    interval = settings.support.escalation_interval
    routes = [*(slack_bot.routes() if slack_bot is not None else []), *(github.routes if github else ())]
    app = create_app(system.worker, clock, statuses, interval=interval, routes=routes)
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="info", lifespan="off"))
    stop = asyncio.Event()
    worker = asyncio.create_task(system.worker.run_forever(interval, stop))
    log.info("escalation worker: every %.0f s; database %s", interval, _safe_url(settings.database_url()))
    # uvicorn re-sends the signal that stopped it once it has shut down; with the default SIGTERM
    # action that kills the process before the cleanup below, so `docker stop` looked like a crash.
    signal.signal(signal.SIGTERM, lambda *_: None)
    try:
        await server.serve()
    finally:
        stop.set()
        await worker
        if discord_bot is not None:
            await discord_bot.close()
        if slack_bot is not None:
            await slack_bot.close()
        if github is not None:
            await github.close()
        await system.close()


def _safe_url(url: str) -> str:
    """The database URL without its password, for the log."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
