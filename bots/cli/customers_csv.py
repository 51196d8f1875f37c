"""The accounts CSV: one account a row, its people's identities joined by ``;`` (``helpline customers``).

Reading is strict: the header must hold the required columns and nothing unknown, and every row is checked
before anything is kept, so a bad row (named by its line) leaves the store as it was. Writing defuses cells a
spreadsheet would run as formulas (``bots/reports/csv_out.py``); reading takes that ``'`` off again.
"""

from __future__ import annotations

import csv
from collections.abc import Collection, Iterable, Sequence
from typing import TextIO

from bots.reports.csv_out import csv_text
from core.customers.checks import account_of, identities_of
from core.customers.records import Account, AccountEntry, CustomerError, Person, PersonDraft
from core.errors import DataError

REQUIRED = ("id", "name", "tier", "csm", "renewal_date", "seats", "identities")
OPTIONAL = ("contract_start", "external_id")
COLUMNS = ("id", "name", "tier", "csm", "contract_start", "renewal_date", "seats", "external_id", "identities")
MAX_ROWS = 100_000
MAX_CELL = 10_000
_DEFUSED = ("'=", "'+", "'-", "'@", "'\t", "'\r")


def read_accounts(source: TextIO, tiers: Collection[str]) -> list[AccountEntry]:
    """Every row of the CSV as an account with its people (one person a new identity); ``DataError`` if any is bad."""
    reader = csv.reader(source)
    try:
        header = next(reader, None)
        if header is None:
            raise DataError(f"the file is empty; its first line must be the header: {','.join(REQUIRED)}")
        names = [name.strip().lower().lstrip("\ufeff") for name in header]
        _check_header(names)
        entries: list[AccountEntry] = []
        seen_accounts: dict[str, int] = {}
        seen_identities: dict[str, int] = {}
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(entries) >= MAX_ROWS:
                raise DataError(f"line {line}: more than {MAX_ROWS:,} accounts; split the file")
            entry = _entry(line, names, row, tiers)
            _not_twice(line, entry, seen_accounts, seen_identities)
            entries.append(entry)
    except csv.Error as exc:
        raise DataError(f"line {reader.line_num}: not readable as CSV ({exc}); nothing was imported") from None
    return entries


def _check_header(names: Sequence[str]) -> None:
    unknown = [name for name in names if name not in COLUMNS]
    if unknown:
        raise DataError(
            f"line 1: unknown column{'s' if len(unknown) > 1 else ''} {', '.join(repr(n) for n in unknown)}; "
            f"the columns are {', '.join(COLUMNS)}"
        )
    missing = [name for name in REQUIRED if name not in names]
    if missing:
        raise DataError(f"line 1: missing column{'s' if len(missing) > 1 else ''} {', '.join(missing)}")
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise DataError(f"line 1: column {', '.join(twice)} appears more than once")


def _entry(line: int, names: Sequence[str], row: Sequence[str], tiers: Collection[str]) -> AccountEntry:
    if len(row) != len(names):
        raise DataError(f"line {line}: {len(row)} cells where the header has {len(names)}; nothing was imported")
    if any(len(cell) > MAX_CELL for cell in row):
        raise DataError(f"line {line}: a cell is longer than {MAX_CELL:,} characters; nothing was imported")
    fields = {name: _undefused(cell) for name, cell in zip(names, row, strict=True)}
    try:
        account = account_of(fields, tiers)
        identities = identities_of(fields["identities"].split(";"))
    except CustomerError as exc:
        raise DataError(f"line {line}: {exc}; nothing was imported") from None
    return AccountEntry(account, tuple(PersonDraft(identity, (identity,)) for identity in identities))


def _not_twice(line: int, entry: AccountEntry, accounts: dict[str, int], identities: dict[str, int]) -> None:
    if entry.account.id in accounts:
        raise DataError(
            f"line {line}: account {entry.account.id!r} is on line {accounts[entry.account.id]} already; "
            "nothing was imported"
        )
    accounts[entry.account.id] = line
    for person in entry.people:
        for identity in person.identities:
            if identity in identities:
                raise DataError(
                    f"line {line}: {identity} is listed on line {identities[identity]} already; nothing was imported"
                )
            identities[identity] = line


def _undefused(cell: str) -> str:
    """A cell as written before ``csv_out.cell`` defused it (a leading ``'`` before a formula sign)."""
    return cell[1:] if cell.startswith(_DEFUSED) else cell


def accounts_csv(accounts: Iterable[tuple[Account, Sequence[Person]]]) -> str:
    """The CSV of these accounts and their people: every identity of the account, sorted, joined by ``;``."""
    rows = []
    for a, people in accounts:
        identities = sorted(identity for person in people for identity in person.identities)
        rows.append(
            {
                "id": a.id,
                "name": a.name,
                "tier": a.tier,
                "csm": a.csm,
                "contract_start": a.contract_start.isoformat() if a.contract_start else None,
                "renewal_date": a.renewal_date.isoformat() if a.renewal_date else None,
                "seats": a.seats,
                "external_id": a.external_id,
                "identities": ";".join(identities),
            }
        )
    return csv_text(rows, COLUMNS)
