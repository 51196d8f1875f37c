"""``helpline reviews scores``: each agent's QA review count and averages per criterion, as text or JSON."""

from __future__ import annotations

import asyncio
import json
from typing import Annotated, Any, Optional

import typer

from bots.bootstrap import open_stores
from bots.cli.common import settings_from
from config.settings import Settings
from core.clock import SystemClock
from core.errors import HelplineError
from core.reviews.scoring import agent_quality
from core.reviews.wording import quality_table
from core.sla.deadlines import parse_duration

app = typer.Typer(help="QA reviews of resolved tickets.", no_args_is_help=True)


async def _scores(settings: Settings, since: str | None) -> tuple[dict[str, Any], str]:
    policy = settings.reviews.policy()
    try:
        window = parse_duration(since) if since else policy.window
    except ValueError as exc:
        raise HelplineError(f"--since: {exc}") from None
    stores, engine = await open_stores(settings)
    try:
        reviews = await stores.reviews.since(SystemClock().now() - window)
    finally:
        await engine.dispose()
    criteria = policy.rubric.criteria
    found = agent_quality(reviews, criteria)
    doc = {
        "days": window.days,
        "criteria": list(criteria),
        "agents": [
            {"agent": a.agent, "reviews": a.reviews, "averages": dict(a.averages), "overall": a.overall} for a in found
        ],
    }
    return doc, quality_table(found, criteria, window.days)


@app.command()
def scores(
    ctx: typer.Context,
    since: Annotated[
        Optional[str],  # noqa: UP045 - typer reads the annotation at run time
        typer.Option("--since", help="How far back: 30d, 2w (default: reviews.window)."),
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
) -> None:
    """Each agent's QA reviews: how many, the average of each criterion and overall."""
    if fmt not in ("text", "json"):
        raise HelplineError(f"{fmt!r} is not a format; use text or json")
    doc, text = asyncio.run(_scores(settings_from(ctx), since))
    typer.echo(json.dumps(doc, indent=2, ensure_ascii=False) if fmt == "json" else text)
