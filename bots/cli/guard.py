"""``helpline guard log``: what the spam guard did, newest first (who, where, which rule, what was done, why)."""

from __future__ import annotations

import asyncio
import json
from typing import Annotated

import typer

from bots.bootstrap import open_stores
from bots.cli.common import settings_from
from core.community.records import GuardAction

app = typer.Typer(help="The spam guard: its audit log.", no_args_is_help=True)


def log_lines(actions: list[GuardAction], *, as_json: bool = False) -> str:
    """The actions as lines a moderator reads, or as a JSON document."""
    if as_json:
        rows = [{**a.__dict__, "at": a.at.isoformat(), "acts": list(a.acts)} for a in actions]
        return json.dumps({"actions": rows}, indent=2, ensure_ascii=False)
    if not actions:
        return "The spam guard has done nothing yet."
    return "\n".join(
        f"{a.at:%Y-%m-%d %H:%M:%S} UTC  {a.member}  {a.rule}  {'+'.join(a.acts)}"
        f"{'  (moderators told)' if a.notified else ''}\n    in {a.place}: {a.evidence}"
        for a in actions
    )


@app.command("log")
def log(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="How many actions, newest first.")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Write JSON instead of lines.")] = False,
) -> None:
    """List the spam guard's newest actions: the member, the rule, what was done and the evidence."""
    settings = settings_from(ctx)

    async def run() -> list[GuardAction]:
        stores, engine = await open_stores(settings)
        try:
            return await stores.guard.actions(limit)
        finally:
            await engine.dispose()

    typer.echo(log_lines(asyncio.run(run()), as_json=as_json))
