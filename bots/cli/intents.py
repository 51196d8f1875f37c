"""``helpline intents retrain``: train the intent head again with moderators' corrections, measured before it serves."""

from __future__ import annotations

import asyncio
import json
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Optional

import typer

from bots.bootstrap import build_embedder, open_stores
from bots.cli.common import settings_from
from bots.cli.datafiles import load_labelled
from bots.cli.evaluate import sample_per_label
from bots.embedders import tuned_models
from bots.heads import head_folder
from config.intents import load_intents
from config.settings import Settings
from core.ports import Embedder
from core.understanding.intents import OUT_OF_SCOPE
from core.understanding.ports import IntentExample
from core.understanding.retrain import Retrained, retrain

app = typer.Typer(
    help="Intents: retrain the classifier with moderators' corrections, or tune the model on the intents.",
    no_args_is_help=True,
)


@app.callback()
def _intents() -> None:
    """Intents: retrain the classifier with moderators' corrections, or tune the model on the intents."""


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


@app.command("tune")
def tune_command(
    ctx: typer.Context,
    train: Annotated[
        Optional[Path],  # noqa: UP045
        typer.Option(help="Training file: CSV text,label or JSON lines (default: the intents file's examples)."),
    ] = None,
    examples_per_intent: Annotated[
        Optional[int],  # noqa: UP045
        typer.Option(min=2, help="Tune on only N examples of each intent (drawn with --seed, as eval intents does)."),
    ] = None,
    epochs: Annotated[float, typer.Option(min=0.01, max=20.0, help="Passes over the example pairs.")] = 1.0,
    seed: Annotated[int, typer.Option(help="Seed for sampling, pairing and batching.")] = 0,
) -> None:
    """Fine-tune the embedding model on the intents, export it, and make it this data directory's model."""
    from kb_index.onnx_model import model_folder
    from kb_index.tuning import TuneSettings, tune_model

    settings = settings_from(ctx)
    examples = load_labelled(train) if train else load_intents(settings.intents.file).training_pairs()
    examples = [(text, label) for text, label in examples if label != OUT_OF_SCOPE]  # oos is not one intent
    if examples_per_intent is not None:
        examples = sample_per_label(examples, examples_per_intent, seed)
    folder = tuned_models(settings)
    folder.mkdir(parents=True, exist_ok=True)
    name = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    target = folder / name
    base = model_folder(settings.model.name)
    typer.echo(f"tuning {settings.model.name} on {len(examples)} examples, {epochs:g} epoch(s)")

    def progress(step: int, steps: int, loss: float) -> None:
        if step % 10 == 0 or step == steps:
            typer.echo(f"step {step}/{steps}: loss {loss:.3f}")

    plan = TuneSettings(epochs=epochs, seed=seed, threads=settings.model.threads)
    tuned = tune_model(base, examples, target, plan, on_step=progress)
    typer.echo(f"tuned: {tuned.pairs} pairs, {tuned.steps} steps in {tuned.seconds:.1f} s")
    try:
        _use(settings, folder, name)
        embedder = build_embedder(settings)
        typer.echo(f"model: {embedder.name}, dimension {embedder.dimension}")  # exports and checks it
    except Exception:
        _use(settings, folder, None)
        shutil.rmtree(target, ignore_errors=True)
        raise
    typer.echo(f"this data directory now uses {target}; the knowledge index is rebuilt at the next start")


def _use(settings: Settings, folder: Path, name: str | None) -> None:
    """Point the data directory at the tuned model ``name`` (or at none), atomically."""
    pointer = folder / "current.json"
    if name is None:
        pointer.unlink(missing_ok=True)
        return
    tmp = pointer.with_name("current.json.tmp")
    tmp.write_text(json.dumps({"base": settings.model.name, "folder": name}) + "\n", encoding="utf-8")
    tmp.replace(pointer)
