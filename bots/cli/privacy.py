"""``helpline privacy export|forget PERSON``, ``requests``, ``original TICKET`` and ``new-key`` (docs/privacy.md)."""

from __future__ import annotations

import asyncio
import getpass
import json
import os
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, Optional, TypeVar

import typer

from bots.bootstrap import open_stores
from bots.cli.common import echo_err, settings_from
from bots.reports.output import write_whole
from core.clock import SystemClock
from core.privacy.office import PrivacyOffice
from core.privacy.originals import Opened, OriginalsKeeper
from core.privacy.sealing import KEY_VARIABLE, Sealer, SealError, new_key
from core.store.personal_data import SqlPersonalData

T = TypeVar("T")

app = typer.Typer(help="A person's data: export all of it, or erase it.", no_args_is_help=True)
PERSON_HELP = "The person as one of their identities, platform:id (console:pat, slack:U123); linked ones go too."


def _actor() -> str:
    return f"cli:{getpass.getuser()}"


def _on_office(ctx: typer.Context, work: Callable[[PrivacyOffice], Awaitable[T]]) -> T:
    settings = settings_from(ctx)

    async def run() -> T:
        stores, engine = await open_stores(settings)
        try:
            return await work(PrivacyOffice(SqlPersonalData(engine), stores.links, SystemClock()))
        finally:
            await engine.dispose()

    return asyncio.run(run())


@app.command("export")
def export(
    ctx: typer.Context,
    person: Annotated[str, typer.Argument(help=PERSON_HELP)],
    output: Annotated[
        Optional[Path],  # noqa: UP045 - typer reads the annotation at run time
        typer.Option("--output", "-o", help="Write the JSON here (readable by you only) instead of printing it."),
    ] = None,
) -> None:
    """Write everything held about PERSON as JSON: tickets, messages, surveys, votes, requests, identities."""
    document = _on_office(ctx, lambda office: office.export(person, _actor()))
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    if output is None:
        sys.stdout.write(text)
        return
    write_whole(output, text)
    typer.echo(f"Wrote what is held about {document['identity']} to {output}.")


@app.command("requests")
def requests(ctx: typer.Context) -> None:
    """List the erasures people asked for in chat (``/helpline forget me``) and not yet carried out."""
    pending = _on_office(ctx, lambda office: office.data.pending())
    if not pending:
        typer.echo("Nobody is waiting to be forgotten.")
        return
    for entry in pending:
        typer.echo(f"{entry.actor} asked on {entry.at:%Y-%m-%d %H:%M} UTC: helpline privacy forget {entry.actor}")


@app.command("forget")
def forget(
    ctx: typer.Context,
    person: Annotated[str, typer.Argument(help=PERSON_HELP)],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Erase PERSON's messages, identities, survey comments and votes' links; keep anonymised metrics."""
    identities = _on_office(ctx, lambda office: office.identities(person))
    if not yes:
        listed = ", ".join(identities)
        typer.confirm(f"Erase everything held about {listed}? This cannot be undone.", abort=True)
    counts = _on_office(ctx, lambda office: office.forget(person, _actor()))
    if not counts:
        typer.echo(f"Nothing was held about {', '.join(identities)}; the request is audited.")
        return
    done = ", ".join(f"{kind} {count}" for kind, count in sorted(counts.items()))
    typer.echo(f"Erased {', '.join(identities)}: {done}. Metrics keep their anonymised rows.")


@app.command("original")
def original(
    ctx: typer.Context,
    ticket: Annotated[int, typer.Argument(help="The ticket whose conversation's originals to open.", min=1)],
) -> None:
    """Show what ticket TICKET's customer typed before redaction (privacy.keep_originals); audited."""
    key = os.environ.get(KEY_VARIABLE, "")
    if not key.strip():
        echo_err(f"{KEY_VARIABLE} is not set: originals open only with the key they were sealed with.")
        raise typer.Exit(2)
    try:
        sealer = Sealer(key)
    except SealError as exc:
        echo_err(str(exc))
        raise typer.Exit(2) from None
    settings = settings_from(ctx)

    async def run() -> list[Opened] | None:
        stores, engine = await open_stores(settings)
        try:
            found = await stores.tickets.get(ticket)
            if found is None:
                return None
            places = dict.fromkeys([found.address, *(m.address for m in await stores.conversations.messages(ticket))])
            keeper = OriginalsKeeper(stores.originals, sealer)
            requester = f"{found.address.platform}:{found.requester_id}"
            return await keeper.open(list(places), requester, _actor(), stores.privacy, SystemClock().now())
        finally:
            await engine.dispose()

    try:
        opened = asyncio.run(run())
    except SealError as exc:
        echo_err(str(exc))
        raise typer.Exit(1) from None
    if opened is None:
        echo_err(f"There is no ticket #{ticket}.")
        raise typer.Exit(1)
    if not opened:
        typer.echo(f"Ticket #{ticket} has no sealed originals (nothing was redacted, or they expired). Audited.")
        return
    typer.echo(f"Originals of ticket #{ticket}; this opening is audited.")
    for item in opened:
        kept = item.original
        typer.echo(f"\n{kept.at:%Y-%m-%d %H:%M} UTC, {kept.author} ({', '.join(kept.kinds)} removed):")
        typer.echo(item.text)


@app.command("new-key")
def new_key_command() -> None:
    """Print a fresh key for HELPLINE_ORIGINALS_KEY (privacy.keep_originals); keep it as a secret."""
    typer.echo(new_key())
