"""Helpers shared by the CLI commands."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import typer

from config.settings import Settings, load_settings


def settings_from(ctx: typer.Context) -> Settings:
    """Settings from the ``--config`` file given to ``helpline``, or the defaults."""
    root = ctx.find_root()
    path = root.obj if isinstance(root.obj, Path) else None
    return load_settings(path)


def echo_err(message: str) -> None:
    """Print to standard error."""
    typer.echo(message, err=True)


def text_or_json(output: str) -> str:
    """``--format``, which is text or json; a usage error otherwise."""
    if output not in ("text", "json"):
        raise typer.BadParameter("--format must be text or json", param_hint="--format")
    return output


def since_window(since: str) -> timedelta:
    """``--since`` (``30d``, ``12h``, ``2w``) as a duration; a usage error naming the option otherwise."""
    from core.sla.deadlines import parse_duration

    try:
        return parse_duration(since.strip())
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--since") from None
