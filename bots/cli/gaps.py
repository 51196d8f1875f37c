"""``helpline kb gaps``: the questions the docs did not answer, clustered by meaning, heaviest first."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated

import typer

from bots.cli.common import settings_from, since_window, text_or_json

if TYPE_CHECKING:
    from config.settings import Settings
    from core.knowledge.gap_records import Gap, GapReport


def gaps(
    ctx: typer.Context,
    since: Annotated[str, typer.Option("--since", help="How far back questions count: 30d, 12h, 2w.")] = "30d",
    output: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
) -> None:
    """Questions that got no answer, a low-confidence one or a not-helpful vote, clustered by meaning."""

    text_or_json(output)
    window = since_window(since)
    now = datetime.now(UTC)
    report = asyncio.run(_report(settings_from(ctx), now - window, now))
    if output == "json":
        from core.knowledge.gaps import report_dict

        typer.echo(json.dumps(report_dict(report), indent=2, ensure_ascii=False))
        return
    for line in report_lines(report, since):
        typer.echo(line)


async def _report(settings: Settings, start: datetime, end: datetime) -> GapReport:
    """The gap report from the configured database, embedded with the configured model."""
    from bots.bootstrap import build_embedder, build_knowledge_base, open_stores
    from bots.knowledge_parts import gap_finder

    embedder = build_embedder(settings)
    knowledge = build_knowledge_base(settings, embedder)
    stores, engine = await open_stores(settings)
    try:  # with no index built yet, whether a gap is covered is not known
        finder = gap_finder(settings, stores, embedder, knowledge if len(knowledge) else None)
        return await finder.report(start, end)
    finally:
        await engine.dispose()


def report_lines(report: GapReport, since: str) -> list[str]:
    """The report as the terminal shows it."""
    head = (
        f"Knowledge gaps, last {since}: {report.questions} questions, {len(report.gaps)} gaps, "
        f"{report.noise} questions in none."
    )
    if not report.gaps:
        return [head, "No gaps: no question was asked often enough by meaning to form one."]
    lines = [head]
    for n, gap in enumerate(report.gaps, 1):
        lines += _gap_lines(n, gap)
    return lines


def _gap_lines(n: int, gap: Gap) -> list[str]:
    tiers = ", ".join(f"{tier} {count}" for tier, count in gap.tiers.items())
    who = f"{gap.people} person" if gap.people == 1 else f"{gap.people} people"
    lines = [
        f"{n}. {gap.size} questions from {who}, weight {gap.weight:g} ({tiers}); "
        f"first {gap.first_seen:%Y-%m-%d %H:%M}, last {gap.last_seen:%Y-%m-%d %H:%M} UTC"
    ]
    lines += [f"   - {question}" for question in gap.representatives]
    c = gap.coverage
    if c is None:
        lines.append("   coverage unknown: no knowledge index is built")
    elif c.covered:
        lines.append(f"   covered now by {c.title} <{c.url}> (lowest match {c.best_score:.2f})")
    else:
        lines.append(f"   not covered: one of these matches the docs at only {c.best_score:.2f}")
    return lines
