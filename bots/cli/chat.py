"""``helpline chat`` and ``helpline ask``: talk to Helpline in the terminal."""

from __future__ import annotations

from typing import Annotated

import typer

from bots.bootstrap import build_understanding
from bots.cli.common import settings_from
from core.understanding import Understander, Understanding

# Below this similarity a passage is shown as "related" rather than as the answer.
ANSWER_SCORE = 0.45


def render(result: Understanding) -> str:
    """What the console shows for one message."""
    if result.empty:
        return "(that message had no readable text: please type your question)"
    prediction = result.prediction
    lines = []
    if prediction.intent is None:
        lines.append(
            f"intent: out of scope ({prediction.reason.replace('_', ' ')}, best guess {prediction.best} "
            f"at {prediction.confidence:.2f})"
        )
    else:
        lines.append(
            f"intent: {prediction.intent} ({prediction.confidence:.2f}) · category {result.category} "
            f"· priority {result.priority.value if result.priority else '-'}"
        )
    if result.truncated:
        lines.append("note: the message was long; only its beginning was read")
    if result.hits:
        best = result.hits[0]
        label = "answer" if best.score >= ANSWER_SCORE else "related"
        chunk = best.chunk
        section = f" › {chunk.section}" if chunk.section and chunk.section != chunk.title else ""
        lines.append(f"{label}: {chunk.title}{section} ({best.score:.2f})")
        lines.append("  " + chunk.text[:400].replace("\n", "\n  ") + ("…" if len(chunk.text) > 400 else ""))
        lines.append(f"  source: {chunk.url or chunk.source}")
    return "\n".join(lines)


def _understander(ctx: typer.Context) -> Understander:
    settings = settings_from(ctx)
    typer.echo("loading the model and the knowledge index…", err=True)
    return build_understanding(settings).understander


def ask(ctx: typer.Context, text: Annotated[str, typer.Argument(help="A support message.")]) -> None:
    """Understand one message: its intent, priority and the best knowledge-base answer."""
    typer.echo(render(_understander(ctx).understand(text)))


def chat(ctx: typer.Context) -> None:
    """A local console conversation with Helpline (Ctrl-D or 'quit' to leave)."""
    understander = _understander(ctx)
    typer.echo("Helpline console: ask a support question (Ctrl-D or 'quit' to leave).")
    while True:
        try:
            line = input("you> ")
        except EOFError:
            typer.echo()
            return
        if line.strip().lower() in {"quit", "exit"}:
            return
        typer.echo(render(understander.understand(line)))
