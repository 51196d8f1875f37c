"""``helpline report``: the support lead's numbers for a period, as text, JSON, CSV or one HTML page."""

from __future__ import annotations

import asyncio
import sys
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from bots.bootstrap import open_stores
from bots.cli import report_options as options
from bots.cli.common import echo_err, settings_from
from bots.console.render import wants_colour
from bots.reports.output import ReportFormat, check_writable, render, write_whole
from config.settings import Settings
from config.tiers import load_tiers
from core.analytics.records import ReportQuery
from core.clock import SystemClock
from core.tiers import TierDirectory


def report(
    ctx: typer.Context,
    since: Annotated[
        Optional[str],  # noqa: UP045 - typer reads the annotation at run time
        typer.Option("--since", help="The period up to now: 30d, 12h, 2w (default: 30d)."),
    ] = None,
    start: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--from", help="Start of the period: 2026-11-01 or 2026-11-01T09:00 (UTC unless given)."),
    ] = None,
    end: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--to", help="End of the period, not included; a bare date includes that whole day."),
    ] = None,
    tier: Annotated[Optional[str], typer.Option("--tier", help="Only this tier.")] = None,  # noqa: UP045
    priority: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--priority", help="Only this priority: critical, high, medium, low."),
    ] = None,
    platform: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--platform", help="Only this platform: console, discord, slack, github."),
    ] = None,
    intent: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--intent", help="Only this intent, or every intent of this category."),
    ] = None,
    agent: Annotated[
        Optional[str],  # noqa: UP045
        typer.Option("--agent", help="Only tickets assigned to this agent (platform:user-id)."),
    ] = None,
    customer: Annotated[Optional[str], typer.Option("--customer", help="Only this customer.")] = None,  # noqa: UP045
    business_hours: Annotated[
        bool, typer.Option("--business-hours", help="Count durations in each tier's business hours.")
    ] = False,
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f", help="What to write.")] = ReportFormat.TEXT,
    out: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option("--out", "-o", help="Write to this file (whole, or not at all) instead of the screen."),
    ] = None,
) -> None:
    """Tickets, response times, SLA, resolution quality, self-service, CSAT, NPS and agents for a period."""
    settings = settings_from(ctx)
    now = SystemClock().now()
    first, stop = options.period(since, start, end, now)
    tiers = load_tiers(settings.support.tiers_file)
    query = ReportQuery(
        first,
        stop,
        tier=options.tier(tier, tiers),
        priority=options.priority(priority),
        platform=options.platform(platform),
        intents=_intents(settings, intent),
        agent=options.person("--agent", agent),
        customer=options.person("--customer", customer),
    )
    if out is not None:
        check_writable(out)  # before the work, not after it
    doc, rows, columns = asyncio.run(_compute(settings, tiers, query, now, business_hours=business_hours))
    if out is None:
        colour = fmt is ReportFormat.TEXT and wants_colour(sys.stdout)
        sys.stdout.write(render(fmt, doc, rows, columns, colour=colour))
        sys.stdout.flush()
        return
    write_whole(out, render(fmt, doc, rows, columns))
    echo_err(f"wrote the {fmt.value} report to {out}")


def _intents(settings: Settings, name: str | None) -> frozenset[str] | None:
    if name is None:
        return None
    from config.intents import load_intents

    return options.intents(name, load_intents(settings.intents.file))


async def _compute(
    settings: Settings, tiers: TierDirectory, query: ReportQuery, now: datetime, *, business_hours: bool
) -> tuple[dict[str, Any], list[dict[str, object]], tuple[str, ...]]:
    """The report's JSON document, its ticket rows and their columns, from the configured database."""
    from core.analytics.metrics import TICKET_COLUMNS, build_report, report_dict, ticket_rows

    stores, engine = await open_stores(settings)
    try:
        built = await build_report(
            stores, tiers, query, settings.analytics.policy(), now, business_hours=business_hours
        )
    finally:
        await engine.dispose()
    return report_dict(built), ticket_rows(built), tuple(TICKET_COLUMNS)
