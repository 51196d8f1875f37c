"""Helpers shared by the CLI commands."""

from __future__ import annotations

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
