"""``helpline staff``: the dashboard's password accounts: add one, list them, disable or enable one.

A password account acts in the desk as ``dashboard:NAME`` with the configured moderator roles. The password
is read from standard input when that is not a terminal (one line, its newline dropped), so scripts can pipe
it in; on a terminal it is asked twice, unechoed.
"""

from __future__ import annotations

import asyncio
import getpass
import re
import sys
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from bots.bootstrap import open_stores
from bots.cli.common import settings_from
from bots.web.passwords import Passwords, checked_password
from core.clock import SystemClock
from core.errors import HelplineError
from core.staff.ports import StaffExistsError, StaffNotFoundError
from core.staff.records import DASHBOARD, Identity, StaffAccount, StaffRole

if TYPE_CHECKING:
    from config.settings import Settings
    from core.stores import Stores

app = typer.Typer(help="Dashboard staff accounts.", no_args_is_help=True)

# No ":" in a name, so a password account never takes the name of one a sign-in link made ("discord:123").
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_ROLES = tuple(role.value for role in StaffRole)
T = TypeVar("T")


def account_name(name: str) -> str:
    """``name`` if it can name an account; else an error saying what a name may hold."""
    if _NAME.fullmatch(name) is None:
        raise HelplineError(
            f"{name!r} cannot name an account: use up to 64 letters, digits, '.', '_' or '-', starting with a "
            "letter or digit"
        )
    return name


def staff_role(role: str) -> StaffRole:
    """The role named (ignoring case); else an error listing the roles."""
    try:
        return StaffRole(role.strip().lower())
    except ValueError:
        raise HelplineError(f"{role!r} is not a staff role; use {' or '.join(_ROLES)}") from None


def read_password() -> str:
    """The new password: one line of standard input, or asked twice on a terminal; checked before it is hashed."""
    if not sys.stdin.isatty():
        return checked_password(sys.stdin.readline().removesuffix("\n").removesuffix("\r"))
    first = checked_password(getpass.getpass("Password (at least 12 characters): "))
    if getpass.getpass("The same password again: ") != first:
        raise HelplineError("the two passwords differ; nothing was changed")
    return first


def _on_stores(settings: Settings, work: Callable[[Stores], Awaitable[T]]) -> T:
    async def run() -> T:
        stores, engine = await open_stores(settings)
        try:
            return await work(stores)
        finally:
            await engine.dispose()

    return asyncio.run(run())


@app.command()
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The name to sign in with, e.g. ana.")],
    role: Annotated[str, typer.Option("--role", help="agent (tickets) or lead (also reports and staff).")],
) -> None:
    """Add a password account NAME; the password comes from standard input, or is asked for on a terminal."""
    settings = settings_from(ctx)
    name, kind = account_name(name), staff_role(role)
    identity = Identity(DASHBOARD, name, name, frozenset(settings.support.moderator_roles))

    async def work(stores: Stores) -> None:
        if await stores.staff.get(name) is not None:  # said before the password is asked for
            raise StaffExistsError(name)
        password_hash = Passwords().hash(read_password())
        await stores.staff.add(StaffAccount(name, kind, identity, SystemClock().now(), password_hash))

    try:
        _on_stores(settings, work)
    except StaffExistsError:
        raise HelplineError(f"the name {name!r} is taken; choose another (see helpline staff list)") from None
    typer.echo(f"added {name} ({kind.value}); they sign in at /dashboard/login")


@app.command("list")
def list_accounts(ctx: typer.Context) -> None:
    """Every account: name, role, the identity it acts as, whether it is disabled, and when it was made."""
    accounts = _on_stores(settings_from(ctx), lambda stores: stores.staff.accounts())
    if not accounts:
        typer.echo("no staff accounts yet; add one with: helpline staff add NAME --role agent|lead")
        return
    rows = [("NAME", "ROLE", "IDENTITY", "DISABLED", "CREATED (UTC)")]
    rows += [
        (a.name, a.role.value, a.identity.actor, "yes" if a.disabled else "no", f"{a.created_at:%Y-%m-%d %H:%M}")
        for a in accounts
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    for row in rows:
        typer.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


def _set_disabled(ctx: typer.Context, name: str, disabled: bool) -> None:
    async def work(stores: Stores) -> StaffAccount:
        return await stores.staff.set_disabled(name, disabled, SystemClock().now())

    try:
        _on_stores(settings_from(ctx), work)
    except StaffNotFoundError:
        raise HelplineError(f"no staff account is named {name!r} (see helpline staff list)") from None


@app.command()
def disable(ctx: typer.Context, name: Annotated[str, typer.Argument(help="The account's name.")]) -> None:
    """Disable account NAME: its sessions end at once and it cannot sign in until enabled."""
    _set_disabled(ctx, name, True)
    typer.echo(f"disabled {name}: signed out everywhere, and cannot sign in until enabled")


@app.command()
def enable(ctx: typer.Context, name: Annotated[str, typer.Argument(help="The account's name.")]) -> None:
    """Enable account NAME again (it signs in afresh; old sessions stay ended)."""
    _set_disabled(ctx, name, False)
    typer.echo(f"enabled {name}: they can sign in again")
