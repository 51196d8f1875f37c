"""``helpline kb``: build, search and inspect the knowledge index."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from bots.bootstrap import build_knowledge_base, knowledge_source
from bots.cli.common import echo_err, settings_from

app = typer.Typer(help="Build, search and inspect the knowledge index.", no_args_is_help=True)


@app.command()
def build(
    ctx: typer.Context,
    source: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Argument(help="A folder of Markdown/text articles or a JSON-lines corpus (default: from settings)."),
    ] = None,
) -> None:
    """Index a knowledge base; unchanged passages are not embedded again."""
    settings = settings_from(ctx)
    source = source or knowledge_source(settings)
    knowledge = build_knowledge_base(settings)
    report = knowledge.build(source, progress=True)
    for warning in report.warnings:
        echo_err(f"warning: {warning}")
    typer.echo(
        f"indexed {report.documents} documents as {report.chunks} chunks from {source} "
        f"({report.embedded} embedded, {report.reused} reused, {report.removed} removed; "
        f"{report.index_kind} index, {report.seconds:.1f} s)"
    )


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
