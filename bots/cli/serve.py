"""``helpline serve``: the long-running process with the HTTP server, the escalation worker and the adapters."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from collections.abc import Sequence
from typing import Annotated, Optional

import typer
import uvicorn

from bots.adapters import Adapter, AdapterContext, adapter_status, build_adapters
from bots.bootstrap import System, build_system, mount_for
from bots.cli.common import settings_from
from bots.cli.roles import (
    ALL,
    AutoShardOption,
    Role,
    RoleOption,
    RolePlan,
    ShardCountOption,
    ShardIdOption,
    check_clock,
    check_statuses,
    finish,
    follow_knowledge,
    plan_for,
    wait_for_stop_signal,
    without_model,
)
from bots.http.app import create_app
from bots.http.customers_api import TOKEN_ENV as API_TOKEN_ENV
from bots.http.customers_api import customer_routes
from bots.http.metrics import TOKEN_ENV
from bots.web.roadmap import roadmap_routes
from bots.web.status_page import status_routes
from config.journeys_config import load_journeys
from config.settings import Settings
from config.tiers import load_tiers
from core.clock import SystemClock
from core.customers.journeys_import import ImportJourneys
from core.messages import CONSOLE, Outbound
from core.notify import RoutingNotifier
from core.privacy.logs import redact_logs

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
    role: RoleOption = Role.ALL,
    shard_id: ShardIdOption = None,
    shard_count: ShardCountOption = None,
    auto_shard: AutoShardOption = False,
) -> None:
    """Run Helpline: the HTTP server (/healthz), the escalation worker and every adapter with credentials."""
    plan = plan_for(role, shard_id, shard_count, auto_shard=auto_shard)
    settings = settings_from(ctx)
    logging.getLogger("helpline").setLevel(logging.INFO)
    port = settings.server.port if port is None else port
    asyncio.run(run_server(settings, host or settings.server.host, port, plan))


async def run_server(settings: Settings, host: str, port: int, plan: RolePlan = ALL) -> None:
    """Start what ``plan`` says this process runs, and run until interrupted."""
    from bots.registry import ADAPTERS  # every platform's SDK: imported by the process that serves them only

    log.info("%s; database %s", plan.describe(), _safe_url(settings.database_url()))
    statuses = adapter_status(os.environ, ADAPTERS)
    for status in statuses:
        log.info("%s adapter: %s (%s)", status.platform, "on" if status.on else "off", status.reason)
    check_statuses(plan, statuses)
    notifier = RoutingNotifier({CONSOLE: LogNotifier()})
    clock = SystemClock()
    system = await build_system(settings, notifier=notifier, clock=clock, **without_model(plan, settings))
    # Every role builds the platforms' notifiers (a worker posts escalations too); each adapter's start
    # listens for events only where the plan says (the web role, or a chat gateway).
    context = AdapterContext(system.desk, settings, os.environ, plan, system.drains(), notifier, clock)
    adapters = build_adapters(ADAPTERS, statuses, context)
    for adapter in adapters:
        await adapter.start()
    interval = settings.support.escalation_interval
    # Links and cookie flags follow server.public_url; without it, the address this process listens on.
    served = settings.server.model_copy(update={"host": host, "port": port})
    dashboard = mount_for(system, settings, os.environ, public_url=served.base_url())
    if plan.web:
        log.info("%s", dashboard.status)
    routes = [route for adapter in adapters for route in adapter.routes()] + dashboard.routes
    api_token = os.environ.get(API_TOKEN_ENV) or None
    tier_names = [tier.name for tier in (system.tiers or load_tiers(settings.support.tiers_file)).tiers]
    # A usage report scores its account again and checks its outreach triggers at once (the worker's pass would,
    # within the hour); each occurrence still runs once, as the store decides.
    after_usage = system.outreach.after_usage if system.outreach is not None else None
    imports = ImportJourneys(system.stores.journeys, load_journeys(settings.support.journeys_file, tier_names))
    routes += customer_routes(system.stores.customers, tier_names, clock, api_token, after_usage, imports)
    log.info(
        "/api/customers, /api/usage: %s", "bearer token required" if api_token else f"off ({API_TOKEN_ENV} not set)"
    )
    routes += roadmap_routes(  # the public roadmap: titles, statuses and vote counts only
        system.stores.feature_requests,
        clock,
        settings.requests.policy(),
        settings.satisfaction.product_name,
        system.stores.links,
    )
    routes += status_routes(system.stores.incidents, settings.satisfaction.product_name)  # open incidents only
    token = os.environ.get(TOKEN_ENV) or None
    log.info("/metrics: %s", "bearer token required" if token else f"loopback clients only ({TOKEN_ENV} not set)")
    app = create_app(
        system.worker if plan.worker else None,
        clock,
        statuses,
        interval=interval,
        routes=routes,
        metrics=system.metrics,
        metrics_token=token,
    )
    server = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="info", lifespan="off"))
    redact_logs()  # uvicorn's own handlers (its access log quotes URLs) are redacted like the rest
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
        await finish(_close([worker, follower], adapters, system))


async def _close(tasks: list[asyncio.Task[None] | None], adapters: Sequence[Adapter], system: System) -> None:
    for task in tasks:
        if task is not None:
            await task
    for adapter in adapters:
        await adapter.close()
    await system.close()


def _safe_url(url: str) -> str:
    """The database URL without its password, for the log."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
