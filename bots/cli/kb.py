"""``helpline kb``: build, search and inspect the knowledge index."""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from bots.bootstrap import build_knowledge_base, knowledge_source
from bots.cli.common import echo_err, settings_from, since_window, text_or_json
from bots.cli.gaps import gaps
from core.errors import HelplineError
from kb_index.knowledge_base import KnowledgeBase

if TYPE_CHECKING:
    from config.settings import Settings
    from core.knowledge.library import Settled
    from core.knowledge.records import ArticleReview, NeedsUpdateRule

app = typer.Typer(help="Build, search and inspect the knowledge index.", no_args_is_help=True)


@app.command()
def build(
    ctx: typer.Context,
    source: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Argument(help="A folder of Markdown/text articles or a JSON-lines corpus (default: from settings)."),
    ] = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="Replace an index built from another source without asking.")
    ] = False,
) -> None:
    """Index a knowledge base; unchanged passages are not embedded again."""
    settings = settings_from(ctx)
    source = source or knowledge_source(settings)
    knowledge = build_knowledge_base(settings)
    if not replace:
        _confirm_replacing(knowledge, source)
    report = knowledge.build(source, progress=True)
    for warning in report.warnings:
        echo_err(f"warning: {warning}")
    typer.echo(
        f"indexed {report.documents} documents as {report.chunks} chunks from {source} "
        f"({report.embedded} embedded, {report.reused} reused, {report.removed} removed; "
        f"{report.index_kind} index, {report.seconds:.1f} s)"
    )
    try:
        settled = asyncio.run(_settle(settings, knowledge))
    except Exception as exc:  # the index is built; the next start syncs the article list
        echo_err(f"warning: the articles could not be listed in the database ({exc}); the next start does it")
        return
    if settled is not None and (settled.imported or settled.files_changed):
        typer.echo(
            f"articles: {settled.files_changed} from the files changed, {settled.imported} added in chat imported"
        )


async def _settle(settings: Settings, knowledge: KnowledgeBase) -> Settled | None:
    """List the files' articles in the database (and import the old chat ones), as a start-up does."""
    from bots.bootstrap import open_stores
    from bots.knowledge_sync import settle_articles
    from core.clock import SystemClock

    stores, engine = await open_stores(settings)
    try:
        return await settle_articles(stores, knowledge, SystemClock())
    finally:
        await engine.dispose()


def _confirm_replacing(knowledge: KnowledgeBase, source: Path) -> None:
    """Building from another source replaces what the chat answers from: say so, and ask (or stop) first."""
    if len(knowledge) == 0:
        return
    info = knowledge.stats()
    if info.source in ("?", str(source.resolve())):
        return
    what = (
        f"The knowledge index holds {info.chunks} passages from {info.documents} documents, built from "
        f"{info.source}. Building from {source} replaces them: the chat and the bots will answer from {source} "
        "only (articles added in chat are kept)."
    )
    if sys.stdin.isatty():
        typer.echo(what)
        if typer.confirm("Replace the index?", default=False):
            return
        raise HelplineError("nothing changed; the knowledge index is as it was")
    raise HelplineError(f"{what} Nothing changed; run again with --replace to replace it.")


@app.command()
def search(
    ctx: typer.Context,
    text: Annotated[str, typer.Argument(help="What to look for.")],
    k: Annotated[int, typer.Option("--top", "-k", min=1, max=100, help="How many results.")] = 5,
) -> None:
    """Show the passages that best match TEXT, with score, title, section and source."""
    settings = settings_from(ctx)
    from core.text import clean_message

    query = clean_message(text, settings.model.max_chars)
    if query.empty:
        echo_err("error: the search text is empty")
        raise typer.Exit(2)
    hits = build_knowledge_base(settings).search_text(query.text, k)
    if not hits:
        typer.echo("no results")
    for rank, hit in enumerate(hits, 1):
        chunk = hit.chunk
        typer.echo(f"{rank}. {hit.score:.3f}  {chunk.title}")
        if chunk.section and chunk.section != chunk.title:
            typer.echo(f"   section: {chunk.section}")
        typer.echo(f"   source:  {chunk.url or chunk.source}")


@app.command()
def stats(ctx: typer.Context) -> None:
    """Show what the knowledge index holds."""
    info = build_knowledge_base(settings_from(ctx)).stats()
    typer.echo(f"documents:  {info.documents}")
    typer.echo(f"chunks:     {info.chunks}")
    typer.echo(f"index:      {info.index_kind} ({info.dimension} dimensions)")
    typer.echo(f"model:      {info.embedder}")
    typer.echo(f"source:     {info.source}")
    typer.echo(f"built at:   {info.built_at}")
    typer.echo(f"version:    {info.version}")
    typer.echo(f"directory:  {info.directory} ({info.size_bytes / 1024:.0f} KiB)")


app.command("gaps")(gaps)


@app.command("needs-update")
def needs_update(
    ctx: typer.Context,
    since: Annotated[str, typer.Option("--since", help="How far back votes and tickets count: 30d, 12h, 2w.")] = "30d",
    output: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
    min_not_helpful: Annotated[int, typer.Option(help="Not-helpful votes an article needs to be listed.")] = 3,
    min_share: Annotated[float, typer.Option(help="…that make at least this share of its votes (0-1).")] = 0.4,
    min_tickets: Annotated[int, typer.Option(help="Or tickets opened after its answers (same thread, 24 h).")] = 3,
) -> None:
    """Articles whose answers customers mark not helpful, or after which they still open tickets."""
    import json

    from core.knowledge.records import NeedsUpdateRule

    text_or_json(output)
    window = since_window(since)
    if not 0.0 <= min_share <= 1.0:
        raise typer.BadParameter("must be between 0 and 1", param_hint="--min-share")
    rule = NeedsUpdateRule(window, min_not_helpful, min_share, min_tickets)
    reviews = asyncio.run(_needs_update(settings_from(ctx), rule))
    if output == "json":
        typer.echo(json.dumps([_review_dict(r) for r in reviews], indent=2, ensure_ascii=False))
        return
    if not reviews:
        typer.echo(f"No article needs an update (last {since}).")
    for review in reviews:
        typer.echo(
            f"{review.title} <{review.url}>: {review.not_helpful} not helpful of "
            f"{review.helpful + review.not_helpful} votes, {review.tickets_after} tickets after its answers"
        )
        for question in review.failed_questions:
            typer.echo(f"  - {question}")


async def _needs_update(settings: Settings, rule: NeedsUpdateRule) -> list[ArticleReview]:
    """The list from the configured database."""
    from bots.bootstrap import open_stores
    from core.knowledge.review import needs_update

    stores, engine = await open_stores(settings)
    try:
        return await needs_update(stores.feedback, datetime.now(UTC), rule)
    finally:
        await engine.dispose()


def _review_dict(review: ArticleReview) -> dict[str, object]:
    return {
        "url": review.url,
        "title": review.title,
        "helpful": review.helpful,
        "not_helpful": review.not_helpful,
        "not_helpful_share": round(review.not_helpful_share, 4),
        "tickets_after": review.tickets_after,
        "failed_questions": list(review.failed_questions),
    }
