"""``helpline intents retrain``: train the intent head again with moderators' corrections, measured before it serves."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer

from bots.bootstrap import build_embedder, open_stores
from bots.cli.common import settings_from
from bots.heads import head_folder
from config.intents import load_intents
from config.settings import Settings
from core.ports import Embedder
from core.understanding.ports import IntentExample
from core.understanding.retrain import Retrained, retrain

app = typer.Typer(help="Intents: retrain the classifier with moderators' corrections.", no_args_is_help=True)


@app.callback()
def _intents() -> None:
    """Intents: retrain the classifier with moderators' corrections."""


async def _corrections(settings: Settings) -> list[IntentExample]:
    stores, engine = await open_stores(settings)
    try:
        return await stores.intent_examples.examples()
    finally:
        await engine.dispose()


def retrain_with(settings: Settings, embedder: Embedder, *, force: bool = False) -> Retrained:
    """Retrain on the catalog and the database's corrections; the serving head switches unless the new one is worse."""
    corrections = asyncio.run(_corrections(settings))
    catalog = load_intents(settings.intents.file)
    folder = head_folder(settings)
    return retrain(embedder, catalog, corrections, folder, regularisation=settings.intents.regularisation, force=force)


@app.command("retrain")
def retrain_command(
    ctx: typer.Context,
    force: Annotated[bool, typer.Option("--force", help="Switch to the new head even if it scores lower.")] = False,
) -> None:
    """Train the head on the intents file's examples plus the corrections; print before/after accuracy."""
    settings = settings_from(ctx)
    result = retrain_with(settings, build_embedder(settings), force=force)
    typer.echo("\n".join(result.lines()))
    if result.version is None:
        raise typer.Exit(1)
