"""``helpline kb``: build, search and inspect the knowledge index."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from bots.bootstrap import build_knowledge_base, knowledge_source
from bots.cli.common import echo_err, settings_from
from core.errors import HelplineError
from kb_index.knowledge_base import KnowledgeBase

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
