"""``helpline chat`` and ``helpline ask``: talk to Helpline in the terminal."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from bots.bootstrap import System, build_system, build_understanding
from bots.cli.common import settings_from
from bots.console.app import ConsoleChat, ConsoleNotifier, line_reader, new_identity
from bots.console.render import terminal, wants_colour
from config.settings import Settings
from config.tiers import load_tiers
from core.clock import ShiftedClock
from core.desk.context import DeskPolicy, MessageUnderstander
from core.errors import HelplineError
from core.messages import CONSOLE, IncomingMessage
from core.tiers import Customer, TierDirectory
from core.understanding.understander import Understanding

# Below this similarity a passage is shown as "related" rather than as the answer, and
# below the second one it is not shown at all.
ANSWER_SCORE = DeskPolicy().answer_score
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
    lines.append(f"{label}: {chunk.heading} ({best.score:.2f})")
    lines.append("  " + chunk.text[:400].replace("\n", "\n  ") + ("…" if len(chunk.text) > 400 else ""))
    lines.append(f"  source: {chunk.link}")
    return "\n".join(lines)


def _understander(ctx: typer.Context) -> MessageUnderstander:
    settings = settings_from(ctx)
    typer.echo("loading the model and the knowledge index…", err=True)
    return build_understanding(settings).understander


def ask(ctx: typer.Context, text: Annotated[str, typer.Argument(help="A support message.")]) -> None:
    """Understand one message: its intent, priority and the best knowledge-base answer."""
    typer.echo(render(_understander(ctx).understand(text)))


def chat(
    ctx: typer.Context,
    tier: Annotated[
        Optional[str],  # noqa: UP045 - typer reads the annotation at run time
        typer.Option("--tier", help="Talk as a customer of this tier (default: whatever tiers.yaml says)."),
    ] = None,
    user: Annotated[str, typer.Option("--user", help="Your name in the conversation.")] = "you",
    moderator: Annotated[
        bool, typer.Option("--moderator", help="Allow moderator commands (/tickets, /claim N, ...).")
    ] = False,
    json_output: Annotated[bool, typer.Option("--json", help="One JSON object per bot output, for scripts.")] = False,
) -> None:
    """A support conversation in the terminal: answers, tickets, SLAs and escalation (Ctrl-D or 'quit' to leave)."""
    settings = settings_from(ctx)
    run_console(settings, tier=tier, user=user, moderator=moderator, json_mode=json_output)


def run_console(settings: Settings, *, tier: str | None, user: str, moderator: bool, json_mode: bool) -> None:
    """Build the real desk on the console and hold the conversation on stdin/stdout."""
    user = user.strip() or "you"
    tiers = load_tiers(settings.support.tiers_file)
    roles = (
        frozenset({settings.support.moderator_roles[0]})
        if moderator and settings.support.moderator_roles
        else frozenset()
    )
    identity = new_identity(user, roles)
    if tier is not None:
        try:
            tiers.get(tier)
        except KeyError:
            names = ", ".join(t.name for t in tiers.tiers)
            raise HelplineError(f"unknown tier {tier!r}; {settings.support.tiers_file} defines: {names}") from None
        customer = Customer(f"console:{user}", user, tier, (f"{CONSOLE}:{identity.author.id}",))
        tiers = tiers.with_customer(customer)
    out = sys.stdout if json_mode else terminal(sys.stdout, colour=wants_colour(sys.stdout))
    notes = terminal(sys.stderr, colour=wants_colour(sys.stderr))
    notes.print("loading the model and the knowledge index…", style="dim")
    notifier, clock = ConsoleNotifier(settings.data_dir / "attachments"), ShiftedClock()
    with asyncio.Runner() as runner:
        system = runner.run(_start(settings, notifier, clock, tiers, notes))
        try:
            console = ConsoleChat(system, notifier, clock, identity, out)
            if not json_mode:
                who = tiers.resolve(IncomingMessage(identity.address, identity.author, "")).tier.label
                console.info(
                    f"Hello {user} ({who} tier). Ask a question or describe a problem; pick a choice by its "
                    "number; /help lists the commands; quit or Ctrl-D to leave."
                )
            console.converse(runner, line_reader(sys.stdin, prompt="" if json_mode else "you> "))
        finally:
            runner.run(system.close())


async def _start(
    settings: Settings, notifier: ConsoleNotifier, clock: ShiftedClock, tiers: TierDirectory, notes: Console
) -> System:
    """Load the model and the index (building the sample one, quietly, on the first start) and the desk."""

    def first_build(source: Path) -> None:
        notes.print(f"first start: indexing the knowledge base in {source} (once; about a minute)…", style="dim")

    parts = await asyncio.to_thread(build_understanding, settings, on_first_build=first_build)
    # Load the model now, so the first question is not the one that waits for it.
    await asyncio.to_thread(parts.embedder.embed, ["warm-up"])
    return await build_system(
        settings,
        notifier=notifier,
        clock=clock,
        tiers=tiers,
        understander=parts.understander,
        catalog=parts.catalog,
        knowledge=parts.knowledge,
    )
