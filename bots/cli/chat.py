"""``helpline chat`` and ``helpline ask``: talk to Helpline in the terminal."""

from __future__ import annotations

from typing import Annotated

import typer

from bots.bootstrap import build_understanding
from bots.cli.common import settings_from
from core.understanding import Understander, Understanding

# Below this similarity a passage is shown as "related" rather than as the answer, and
# below the second one it is not shown at all.
ANSWER_SCORE = 0.45
RELATED_SCORE = 0.30


def _intent_line(result: Understanding) -> str:
    prediction = result.prediction
    if prediction.reason == "out_of_scope":
        return f"intent: out of scope ({prediction.confidence:.2f})"
    if prediction.intent is None:
        why = prediction.reason.replace("_", " ")
        return f"intent: out of scope ({why}; best guess {prediction.best} at {prediction.confidence:.2f})"
    priority = result.priority.value if result.priority else "-"
    return (
        f"intent: {prediction.intent} ({prediction.confidence:.2f}) · category {result.category} · priority {priority}"
    )


def render(result: Understanding) -> str:
    """What the console shows for one message."""
    if result.empty:
        return "(that message had no readable text: please type your question)"
    lines = [_intent_line(result)]
    if result.truncated:
        lines.append("note: the message was long; only its beginning was read")
    best = result.hits[0] if result.hits else None
    if best is None or best.score < RELATED_SCORE:
        lines.append("no matching article in the knowledge base")
        return "\n".join(lines)
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
