"""``helpline requests``: feature requests from the command line: list, show, move on, merge and unmerge.

Status changes are the desk's own (``core.requests.board``): the voters' notices are queued in the outbox with
the change, and the running ``helpline serve`` delivers them.
"""

from __future__ import annotations

import asyncio
import getpass
import json
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from bots.bootstrap import open_stores
from bots.cli.common import settings_from
from core.clock import SystemClock
from core.errors import HelplineError
from core.messages import Reply, ReplyKind
from core.requests.board import Detail, RequestBoard
from core.requests.commands import STATUSES as REQUEST_STATUSES
from core.requests.records import FeatureRequest, RequestStatus

if TYPE_CHECKING:
    from core.requests.impact import Impact

app = typer.Typer(help="Feature requests: the roadmap's list, statuses and merges.", no_args_is_help=True)
T = TypeVar("T")
_FORMATS = ("text", "json")
FormatOption = Annotated[str, typer.Option("--format", help="text or json.")]


def _checked_format(value: str) -> str:
    if value not in _FORMATS:
        raise HelplineError(f"{value!r} is not a format; use text or json")
    return value


def _on_board(ctx: typer.Context, work: Callable[[RequestBoard], Awaitable[T]]) -> T:
    settings = settings_from(ctx)

    async def run() -> T:
        stores, engine = await open_stores(settings)
        try:
            return await work(
                RequestBoard(stores.feature_requests, SystemClock(), settings.requests.policy(), stores.links)
            )
        finally:
            await engine.dispose()

    return asyncio.run(run())


def _actor() -> str:
    return f"cli:{getpass.getuser()}"


def request_json(request: FeatureRequest, impact: Impact) -> dict[str, Any]:
    """One request as JSON: its words, status, numbers and requester."""
    return {
        "number": request.number, "title": request.title, "description": request.description,
        "status": request.status.value, "note": request.note, "duplicate_of": request.duplicate_of,
        "votes": impact.votes, "accounts": impact.accounts, "score": impact.score, "trending": impact.trending,
        "requester": {"identity": request.requester.identity, "name": request.requester.name,
                      "account": request.requester.account, "tier": request.requester.tier,
                      "where": str(request.requester.address)},
        "created_at": request.created_at.isoformat(), "updated_at": request.updated_at.isoformat(),
    }  # fmt: skip


def detail_json(detail: Detail) -> dict[str, Any]:
    """One request with its history and merges, as JSON."""
    return {
        **request_json(detail.request, detail.impact),
        "history": [{"old": c.old.value, "new": c.new.value, "note": c.note, "by": c.by, "at": c.at.isoformat()}
                    for c in detail.history],
        "merged": [m.source for m in detail.merged],
    }  # fmt: skip


def _said(reply: Reply) -> None:
    if reply.kind is ReplyKind.ERROR:
        raise HelplineError(reply.text)
    typer.echo(reply.text)


@app.command("list")
def list_requests(
    ctx: typer.Context,
    status: Annotated[
        list[str] | None, typer.Option("--status", help="Only these statuses (repeat it); default: all.")
    ] = None,
    output: FormatOption = "text",
) -> None:
    """Every request, best score first: number, status, votes, accounts, score, trending and title."""
    output = _checked_format(output)
    wanted = [_status(s, allow_duplicate=True) for s in status] if status else None
    found = _on_board(ctx, lambda board: board.listing(wanted))
    if output == "json":
        typer.echo(json.dumps([request_json(r, i) for r, i in found], ensure_ascii=False, indent=2))
        return
    if not found:
        typer.echo("no feature requests yet")
        return
    rows = [("#", "STATUS", "VOTES", "ACCOUNTS", "SCORE", "30 DAYS", "TITLE")]
    rows += [(str(r.number), r.status.value, str(i.votes), str(i.accounts), f"{i.score:g}", str(i.trending), r.title)
             for r, i in found]  # fmt: skip
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    for row in rows:
        typer.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


@app.command()
def show(
    ctx: typer.Context,
    number: Annotated[int, typer.Argument(help="The request's number.")],
    output: FormatOption = "text",
) -> None:
    """Request NUMBER: its numbers, description, history and what was merged into it."""
    output = _checked_format(output)
    if output == "json":
        typer.echo(json.dumps(detail_json(_on_board(ctx, lambda b: b.detail(number))), ensure_ascii=False, indent=2))
        return
    _said(_on_board(ctx, lambda board: board.show(number)))


@app.command("status")
def set_status(
    ctx: typer.Context,
    number: Annotated[int, typer.Argument(help="The request's number.")],
    status: Annotated[str, typer.Argument(help="open, planned, started, completed or declined.")],
    note: Annotated[str, typer.Option("--note", help="What the voters read with the change.")] = "",
) -> None:
    """Move request NUMBER to STATUS; its requester and voters are told once, where they asked or voted."""
    new = _status(status)
    _said(_on_board(ctx, lambda board: board.set_status(number, new, note.strip(), _actor())))


@app.command()
def merge(
    ctx: typer.Context,
    number: Annotated[int, typer.Argument(help="The duplicate request.")],
    into: Annotated[int, typer.Argument(help="The request it duplicates.")],
) -> None:
    """Merge request NUMBER into INTO: its votes count there (undo with: helpline requests unmerge NUMBER)."""
    _said(_on_board(ctx, lambda board: board.merge(number, into, _actor())))


@app.command()
def unmerge(ctx: typer.Context, number: Annotated[int, typer.Argument(help="The merged request.")]) -> None:
    """Undo request NUMBER's merge: its status and votes are its own again."""
    _said(_on_board(ctx, lambda board: board.unmerge(number, _actor())))


def _status(text: str, *, allow_duplicate: bool = False) -> RequestStatus:
    allowed = (*REQUEST_STATUSES, "duplicate") if allow_duplicate else REQUEST_STATUSES
    if text.strip().lower() not in allowed:
        raise HelplineError(f"{text!r} is not a status; use {', '.join(allowed)}")
    return RequestStatus(text.strip().lower())
