"""``helpline sla``: explain a ticket's SLA clocks, and plan every active ticket again after a config change."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer

from bots.bootstrap import open_stores
from bots.cli.common import echo_err, settings_from
from config.settings import Settings
from config.tiers import load_tiers
from core.clock import SystemClock
from core.sla.explain import explain_ticket
from core.sla.planner import TierPlanner

app = typer.Typer(help="Explain and maintain SLA clocks.", no_args_is_help=True)


async def _explain(settings: Settings, number: int) -> str | None:
    tiers = load_tiers(settings.support.tiers_file)
    stores, engine = await open_stores(settings)
    try:
        ticket = await stores.tickets.get(number)
        if ticket is None:
            return None
        return await explain_ticket(stores, tiers, ticket, SystemClock().now())
    finally:
        await engine.dispose()


async def _replan(settings: Settings) -> int:
    tiers = load_tiers(settings.support.tiers_file)
    stores, engine = await open_stores(settings)
    try:
        planner = TierPlanner(tiers)
        stores.timers.use_planner(planner)
        return await stores.timers.replan(None, SystemClock().now(), planner.fingerprint)
    finally:
        await engine.dispose()


@app.command()
def explain(
    ctx: typer.Context,
    number: Annotated[int, typer.Argument(help="The ticket number.", min=1)],
) -> None:
    """Show each target of ticket NUMBER: its deadline, time spent, pauses, the calendar and the due actions."""
    text = asyncio.run(_explain(settings_from(ctx), number))
    if text is None:
        echo_err(f"error: there is no ticket #{number}")
        raise typer.Exit(2)
    typer.echo(text)


@app.command()
def replan(ctx: typer.Context) -> None:
    """Derive every active ticket's deadlines and due actions again with the current tiers file."""
    count = asyncio.run(_replan(settings_from(ctx)))
    typer.echo(f"planned {count} active ticket(s) again")
