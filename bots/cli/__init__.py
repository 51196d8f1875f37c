"""The ``helpline`` command line."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from typer.exceptions import TyperException

from bots.cli import (
    chat,
    customers,
    evaluate,
    guard,
    intents,
    journeys,
    kb,
    privacy,
    report,
    requests,
    reviews,
    serve,
    sla,
    staff,
)
from core.errors import HelplineError
from core.privacy.logs import redact_logs

app = typer.Typer(
    name="helpline",
    help="Helpline: customer support from your own docs, in chat.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(kb.app, name="kb")
app.add_typer(evaluate.app, name="eval")
app.add_typer(sla.app, name="sla")
app.add_typer(staff.app, name="staff")
app.add_typer(customers.app, name="customers")
app.add_typer(customers.one, name="customer")
app.add_typer(requests.app, name="requests")
app.add_typer(intents.app, name="intents")
app.add_typer(privacy.app, name="privacy")
app.add_typer(journeys.app, name="journeys")
app.add_typer(guard.app, name="guard")
app.add_typer(reviews.app, name="reviews")
app.command("chat")(chat.chat)
app.command("ask")(chat.ask)
app.command("serve")(serve.serve)
app.command("report")(report.report)


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
    redact_logs()  # no customer's secret and no configured one in any log line
    ctx.obj = config


def run(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code; user-facing errors become a message and code 2."""
    import click

    try:
        result = app(args=argv, prog_name="helpline", standalone_mode=False)
    except HelplineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except click.ClickException as exc:  # usage errors: unknown option, missing argument
        exc.show()
        return exc.exit_code
    except TyperException as exc:  # the same from typer >= 0.26, which carries its own copy of click
        show = getattr(exc, "show", None)
        if callable(show):
            show()
        else:
            print(f"error: {exc.format_message()}", file=sys.stderr)
        return exc.exit_code
    except (click.Abort, typer.Abort, KeyboardInterrupt):
        return 130
    return result if isinstance(result, int) else 0


def main() -> None:
    """Console-script entry point."""
    raise SystemExit(run(sys.argv[1:]))
