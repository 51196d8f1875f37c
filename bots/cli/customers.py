"""``helpline customers import|export`` (the accounts CSV) and ``helpline customer show ACCOUNT``.

Each command first adds tiers.yaml's ``customers:`` the store has no account for yet (see
``core.customers.checks.seed_from_tiers``), so the store shows every customer the desk knows.
"""

from __future__ import annotations

import asyncio
import io
import json
import sys
from collections.abc import Awaitable, Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional, TypeVar

import typer

from bots.bootstrap import open_stores
from bots.cli.common import settings_from
from bots.cli.customers_csv import accounts_csv, read_accounts
from bots.reports.output import write_whole
from config.journeys_config import load_journeys
from config.tiers import load_tiers
from core.clock import SystemClock
from core.customers.checks import seed_from_tiers
from core.customers.health_pass import rescore
from core.customers.journeys_import import ImportJourneys, known_identities
from core.customers.journeys_pass import JourneyPass
from core.customers.records import CustomerError
from core.customers.view import customer_view, document
from core.errors import DataError, HelplineError

if TYPE_CHECKING:
    from config.settings import Settings
    from core.stores import Stores
    from core.tiers import TierDirectory

T = TypeVar("T")

app = typer.Typer(
    help="Customer accounts: import and export them as CSV, and score their health.", no_args_is_help=True
)
one = typer.Typer(help="One customer account.", no_args_is_help=True)


class ShowFormat(StrEnum):
    """How ``customer show`` writes an account."""

    TEXT = "text"
    JSON = "json"


def _on_stores(settings: Settings, work: Callable[[Stores, TierDirectory], Awaitable[T]]) -> T:
    tiers = load_tiers(settings.support.tiers_file)

    async def run() -> T:
        stores, engine = await open_stores(settings)
        try:
            await seed_from_tiers(stores.customers, stores.links, tiers.customers, SystemClock().now())
            return await work(stores, tiers)
        finally:
            await engine.dispose()

    return asyncio.run(run())


@app.command("import")
def import_accounts(
    ctx: typer.Context, file: Annotated[Path, typer.Argument(help="The CSV file (UTF-8, a header row first).")]
) -> None:
    """Create or update the accounts in FILE and add their identities; all of it or, on a bad row, none."""
    settings = settings_from(ctx)
    try:
        text = file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"cannot read {file}: {exc}") from None

    async def work(stores: Stores, tiers: TierDirectory) -> tuple[int, int]:
        names = [tier.name for tier in tiers.tiers]
        entries = read_accounts(_lines(text), names)
        imports = ImportJourneys(stores.journeys, load_journeys(settings.support.journeys_file, names))
        known = await known_identities(stores.customers)
        try:
            await stores.customers.save(entries, SystemClock().now())
        except CustomerError as exc:
            raise DataError(f"{file}: {exc}; nothing was imported") from None
        # Each new Slack or Discord identity starts its person's onboarding journey (docs/customers.md).
        await imports.after_import(stores.customers, [e.account.id for e in entries], known, SystemClock().now())
        return len(entries), sum(len(p.identities) for e in entries for p in e.people)

    accounts, identities = _on_stores(settings, work)
    typer.echo(f"imported {accounts} account{'s' if accounts != 1 else ''} with {identities} identities")


@app.command("export")
def export_accounts(
    ctx: typer.Context,
    file: Annotated[
        Optional[Path],  # noqa: UP045 - typer reads the annotation at run time
        typer.Argument(help="Where to write the CSV (default: standard output)."),
    ] = None,
) -> None:
    """Write every account as CSV, the same columns ``import`` reads."""

    async def work(stores: Stores, tiers: TierDirectory) -> str:
        accounts = await stores.customers.accounts()
        return accounts_csv([(a, await stores.customers.people(a.id)) for a in accounts])

    text = _on_stores(settings_from(ctx), work)
    if file is None:
        sys.stdout.write(text)
    else:
        write_whole(file, text)
        typer.echo(f"wrote {file}", err=True)


@app.command("health")
def rescore_health(
    ctx: typer.Context,
    account: Annotated[
        Optional[str],  # noqa: UP045 - typer reads the annotation at run time
        typer.Argument(help="The account's id (default: every account)."),
    ] = None,
) -> None:
    """Compute the health score now and keep it as today's (replacing today's earlier one)."""

    async def work(stores: Stores, tiers: TierDirectory) -> list[str]:
        if account is None:
            accounts = await stores.customers.accounts()
        else:
            found = await stores.customers.get(account)
            if found is None:
                raise HelplineError(f"there is no account {account!r}; see helpline customers export")
            accounts = [found]
        lines = []
        for each in accounts:
            score = await rescore(stores, each, SystemClock())
            lines.append(f"{each.id}: {score.score} {score.category}" + (f" ({score.reason})" if score.missing else ""))
        return lines

    lines = _on_stores(settings_from(ctx), work)
    typer.echo("\n".join(lines) if lines else "no accounts to score")


@one.command("show")
def show(
    ctx: typer.Context,
    account: Annotated[str, typer.Argument(help="The account's id.")],
    fmt: Annotated[ShowFormat, typer.Option("--format", "-f", help="text or json.")] = ShowFormat.TEXT,
) -> None:
    """Show an account: contract, people and identities, open and recent tickets, usage, links, health, outreach."""

    async def work(stores: Stores, tiers: TierDirectory) -> dict[str, Any]:
        journeys = load_journeys(settings.support.journeys_file, [tier.name for tier in tiers.tiers])
        due = JourneyPass(stores, SystemClock(), tiers, journeys).next_due
        view = await customer_view(stores, account, now=SystemClock().now(), due=due)
        if view is None:
            raise HelplineError(f"there is no account {account!r}; see helpline customers export")
        return document(view)

    settings = settings_from(ctx)
    shown = _on_stores(settings, work)
    typer.echo(json.dumps(shown, indent=2, ensure_ascii=False) if fmt is ShowFormat.JSON else text_of(shown))


def text_of(shown: dict[str, Any]) -> str:
    """The account's document as lines for a terminal."""
    a = shown["account"]
    lines = [f"{a['name']} ({a['id']}) — tier {a['tier']}"]
    facts = [
        ("customer success manager", a["csm"]),
        ("contract start", a["contract_start"]),
        ("renewal", a["renewal_date"]),
        ("seats", a["seats"]),
        ("external id", a["external_id"]),
    ]
    lines += [f"  {label}: {value}" for label, value in facts if value is not None]
    lines.append(f"People ({len(shown['people'])}):")
    lines += [f"  {p['name']}: {', '.join(p['identities'])}" for p in shown["people"]] or ["  none"]
    for key, title in (("open", "Open tickets"), ("recent", "Recent tickets")):
        tickets = shown["tickets"][key]
        lines.append(f"{title} ({len(tickets)}):")
        lines += [
            f"  #{t['number']} {t['status']} {t['priority']} {t['subject']} ({t['requester']}, {t['created_at'][:10]})"
            for t in tickets
        ] or ["  none"]
    usage = shown["usage"]
    if usage is not None:
        figures = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in usage.items() if k != "at" and v is not None)
        lines.append(f"Usage ({usage['at'][:10]}): {figures or 'no figures'}")
    if shown["links"]:
        lines.append("Links:")
        lines += [
            f"  {e['at'][:16]} {e['actor']} {e['action']} {e['identity']}" + (f" + {e['other']}" if e["other"] else "")
            for e in shown["links"]
        ]
    lines += health_lines(shown["health"])
    lines += timeline_lines(shown.get("timeline", []))
    return "\n".join(lines)


def timeline_lines(timeline: list[dict[str, Any]]) -> list[str]:
    """The outreach timeline, newest first, one line per action with what became of it."""
    lines = [f"Outreach ({len(timeline)}):"]
    for r in timeline:
        where = f" to {r['target']}" if r["target"] else ""
        due = f" until {r['due_at'][:16]}" if r["status"] == "deferred" and r["due_at"] else ""
        first = r["text"].splitlines()[0] if r["text"] else ""
        lines.append(f"  {r['at'][:16]} {r['playbook']} ({r['occurrence']}): {r['action']}{where}, {r['status']}{due}")
        if first:
            lines.append(f"    {first}")
    return lines if timeline else ["Outreach: none yet"]


def health_lines(health: dict[str, Any] | None) -> list[str]:
    """The health score, its trend and every part with its reason, for a terminal."""
    if health is None:
        return ["Health: not computed"]
    trend = health["trend"] or "not enough history for a trend"
    lines = [f"Health: {health['score']} {health['category']} ({trend}); {health['reason']}"]
    for name, part in health["parts"].items():
        value = "no data" if part["score"] is None else str(part["score"])
        lines.append(f"  {name} ({part['weight']:.0%}): {value} — {part['reason']}")
    return lines


def _lines(text: str) -> io.StringIO:
    return io.StringIO(text, newline="")
