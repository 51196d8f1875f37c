"""The one check of an account's fields, shared by the CSV import and the HTTP API, and the tiers.yaml seed.

Each check raises ``CustomerError`` naming the field and what is wrong with it, so a surface only adds where
the mistake is (a CSV line, a JSON key).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from core.customers.records import (
    Account,
    AccountEntry,
    CustomerError,
    PersonDraft,
    account_id,
    identity,
)

if TYPE_CHECKING:
    from core.customers.ports import CustomerAccounts, CustomerLinks
    from core.tiers import Customer

NAME_CHARS = 200
MAX_SEATS = 10_000_000


def account_of(fields: Mapping[str, str | None], tiers: Collection[str], account: str | None = None) -> Account:
    """An account from text fields (``id`` unless ``account`` is given, ``name``, ``tier``, ``csm``,
    ``contract_start``, ``renewal_date``, ``seats``, ``external_id``; blank optional fields mean none)."""
    found = account_id(account if account is not None else _text(fields, "id") or "")
    name = _text(fields, "name")
    if not name:
        raise CustomerError("name is empty; every account needs a name")
    if len(name) > NAME_CHARS:
        raise CustomerError(f"name is longer than {NAME_CHARS} characters")
    tier = (_text(fields, "tier") or "").lower()
    if tier not in tiers:
        raise CustomerError(f"tier {tier!r} is not a tier; use {', '.join(sorted(tiers))}")
    csm = _text(fields, "csm")
    start, renewal = _date(fields, "contract_start"), _date(fields, "renewal_date")
    if start is not None and renewal is not None and renewal < start:
        raise CustomerError(f"renewal_date {renewal} is before contract_start {start}")
    external = _text(fields, "external_id")
    if external is not None and len(external) > 255:
        raise CustomerError("external_id is longer than 255 characters")
    csm_identity = _checked("csm", csm) if csm else None
    return Account(found, name, tier, csm_identity, start, renewal, _seats(fields), external)


def identities_of(values: Sequence[str], field: str = "identities") -> tuple[str, ...]:
    """Checked identities, each once, in the order given; a bad one is named with ``field``."""
    checked = [_checked(field, value) for value in values if value.strip()]
    twice = sorted({i for i in checked if checked.count(i) > 1})
    if twice:
        raise CustomerError(f"{field} lists {', '.join(twice)} more than once")
    return tuple(checked)


def _checked(field: str, value: str) -> str:
    try:
        return identity(value)
    except CustomerError as exc:
        raise CustomerError(f"{field}: {exc}") from None


def _text(fields: Mapping[str, str | None], key: str) -> str | None:
    value = fields.get(key)
    if value is None:
        return None
    stripped = str(value).strip()
    return stripped or None


def _date(fields: Mapping[str, str | None], key: str) -> date | None:
    value = _text(fields, key)
    if value is None:
        return None
    try:
        if len(value) == len("YYYY-MM-DD"):
            return date.fromisoformat(value)
    except ValueError:
        pass
    raise CustomerError(f"{key} {value!r} is not a date; write it as YYYY-MM-DD")


def _seats(fields: Mapping[str, str | None]) -> int | None:
    value = _text(fields, "seats")
    if value is None:
        return None
    if not value.isdigit() or int(value) > MAX_SEATS:
        raise CustomerError(f"seats {value!r} is not a whole number from 0 to {MAX_SEATS:,}")
    return int(value)


async def seed_from_tiers(
    accounts: CustomerAccounts, links: CustomerLinks, customers: Sequence[Customer], at: datetime
) -> list[str]:
    """Add tiers.yaml's ``customers:`` the store has no account for yet (each identity a person); their ids.

    An account the store has is left as the store has it (the store decides), and an identity the store
    knows already is not moved. Running it again adds nothing.
    """
    entries = []
    for customer in customers:
        if await accounts.get(customer.id) is not None:
            continue
        free = [ident for ident in customer.identities if await links.person_of(ident) is None]
        people = tuple(PersonDraft(ident, (ident,)) for ident in free)
        entries.append(AccountEntry(Account(customer.id, customer.name, customer.tier), people))
    if entries:
        await accounts.save(entries, at)
    return [entry.account.id for entry in entries]
