"""``helpline journeys preview``: who would get which onboarding step when; reads the store, sends nothing."""

from __future__ import annotations

import asyncio
import json
from enum import StrEnum
from typing import Annotated

import typer

from bots.bootstrap import open_stores
from bots.cli.common import settings_from
from config.journeys_config import load_journeys
from config.tiers import load_tiers
from core.clock import SystemClock
from core.customers.journeys import PlannedStep
from core.customers.journeys_pass import JourneyPass

app = typer.Typer(help="Onboarding journeys: what they would send, and when.", no_args_is_help=True)


class PreviewFormat(StrEnum):
    """How ``journeys preview`` writes its list."""

    TEXT = "text"
    JSON = "json"


def preview_lines(planned: list[PlannedStep], fmt: PreviewFormat) -> str:
    """The planned steps as a table of lines or a JSON document."""
    if fmt is PreviewFormat.JSON:
        rows = [
            {"person": p.person, "tier": p.tier, "step": p.step, "index": p.index, "due": p.due.isoformat()}
            for p in planned
        ]
        return json.dumps({"steps": rows}, indent=2)
    if not planned:
        return "No onboarding steps are due in that time."
    return "\n".join(f"{p.due:%Y-%m-%d %H:%M} UTC  {p.person}  {p.tier}  {p.step}" for p in planned)


@app.command("preview")
def preview(
    ctx: typer.Context,
    days: Annotated[int, typer.Option(min=1, max=365, help="How many days ahead to look.")] = 14,
    fmt: Annotated[PreviewFormat, typer.Option("--format", help="text or json.")] = PreviewFormat.TEXT,
) -> None:
    """List who would get which journey step when in the next DAYS days, without sending anything."""
    settings = settings_from(ctx)
    tiers = load_tiers(settings.support.tiers_file)
    journeys = load_journeys(settings.support.journeys_file, [tier.name for tier in tiers.tiers])

    async def run() -> list[PlannedStep]:
        stores, engine = await open_stores(settings)
        try:
            return await JourneyPass(stores, SystemClock(), tiers, journeys).preview(days)
        finally:
            await engine.dispose()

    typer.echo(preview_lines(asyncio.run(run()), fmt))
