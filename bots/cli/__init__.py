"""The ``helpline`` command line."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from bots.cli import chat, evaluate, kb
from core.errors import HelplineError

app = typer.Typer(
    name="helpline",
    help="Helpline: customer support from your own docs, in chat.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(kb.app, name="kb")
app.add_typer(evaluate.app, name="eval")
app.command("chat")(chat.chat)
app.command("ask")(chat.ask)


@app.callback()
def _options(
    ctx: typer.Context,
    config: Annotated[
        Optional[Path],  # noqa: UP045 - typer reads the annotation at run time
        typer.Option("--config", "-c", help="Settings file (default: $HELPLINE_CONFIG or ./helpline.yaml)."),
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log what happens.")] = False,
) -> None:
    """Global options."""
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    ctx.obj = config


def main() -> None:
    """Entry point: runs the CLI and turns user-facing errors into a message and exit code 2."""
    try:
        app(standalone_mode=False)
    except HelplineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    except (typer.Abort, KeyboardInterrupt):
        raise SystemExit(130) from None
    except typer.Exit as exc:
        raise SystemExit(exc.exit_code) from None
    except Exception as exc:  # click usage errors come through here too
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            raise SystemExit(exc.exit_code) from None
        raise
