"""The customer accounts port in SQL: accounts with the people listed in them, and their usage figures.

``save`` is one transaction over every entry, so an import that fails on its last row keeps nothing of it.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from core.customers.records import (
    Account,
    AccountEntry,
    AccountNotFoundError,
    IdentityTakenError,
    Person,
    PersonDraft,
    Usage,
)
from core.store.base import SqlPort
from core.store.schema_customers import customer_accounts, customer_identities, customer_people, customer_usage

if TYPE_CHECKING:
    from datetime import datetime

    from sqlalchemy import RowMapping
    from sqlalchemy.ext.asyncio import AsyncConnection


def new_person_id() -> str:
    """A fresh person id: random, so two processes never pick the same one."""
    return "p-" + secrets.token_hex(8)


class SqlCustomerAccounts(SqlPort):
    """The ``CustomerAccounts`` port in a SQL database."""

    async def save(self, entries: Sequence[AccountEntry], at: datetime) -> None:
        """Create or update every account and add its people, in one transaction (all or nothing)."""
        async with self._write() as conn:
            for entry in entries:
                await _put_account(conn, entry.account, at)
                for draft in entry.people:
                    await _put_person(conn, entry.account.id, draft, at)

    async def get(self, account_id: str) -> Account | None:
        """The account with this id, if any."""
        found = await self._read(select(customer_accounts).where(customer_accounts.c.id == account_id))
        return account_from(found[0]) if found else None

    async def accounts(self) -> list[Account]:
        """Every account, by id."""
        return [
            account_from(row) for row in await self._read(select(customer_accounts).order_by(customer_accounts.c.id))
        ]

    async def people(self, account_id: str) -> list[Person]:
        """The account's people with their identities, by name then id."""
        p, i = customer_people.c, customer_identities.c
        query = (
            select(p.id, p.name, p.account, i.identity)
            .join(customer_identities, i.person == p.id)
            .where(p.account == account_id)
            .order_by(p.name, p.id, i.identity)
        )
        return people_from(await self._read(query))

    async def everyone(self) -> list[Person]:
        """The people of every account with their identities, by account, name and id (one query)."""
        p, i = customer_people.c, customer_identities.c
        query = (
            select(p.id, p.name, p.account, i.identity)
            .join(customer_identities, i.person == p.id)
            .where(p.account.is_not(None))
            .order_by(p.account, p.name, p.id, i.identity)
        )
        return people_from(await self._read(query))

    async def record_usage(self, usage: Usage) -> None:
        """Keep reported usage figures; ``AccountNotFoundError`` for an unknown account."""
        async with self._write() as conn:
            found = await conn.execute(select(customer_accounts.c.id).where(customer_accounts.c.id == usage.account))
            if found.first() is None:
                raise AccountNotFoundError(f"there is no account {usage.account!r}")
            await conn.execute(
                insert(customer_usage).values(
                    account=usage.account,
                    at=usage.at,
                    active_users=usage.active_users,
                    seats=usage.seats,
                    feature_adoption=usage.feature_adoption,
                    plan_usage=usage.plan_usage,
                )
            )

    async def usage(self, account_id: str, limit: int = 30) -> list[Usage]:
        """The account's latest usage figures, newest first."""
        c = customer_usage.c
        rows = await self._read(
            select(customer_usage).where(c.account == account_id).order_by(c.at.desc(), c.id.desc()).limit(limit)
        )
        return [
            Usage(r["account"], r["at"], r["active_users"], r["seats"], r["feature_adoption"], r["plan_usage"])
            for r in rows
        ]


def account_from(row: RowMapping) -> Account:
    """An account from its row."""
    return Account(
        row["id"],
        row["name"],
        row["tier"],
        row["csm"],
        row["contract_start"],
        row["renewal_date"],
        row["seats"],
        row["external_id"],
    )


def people_from(rows: Sequence[RowMapping]) -> list[Person]:
    """People from rows of (id, name, account, identity), grouped in the rows' order."""
    people: dict[str, Person] = {}
    for row in rows:
        known = people.get(row["id"])
        identities = (*known.identities, row["identity"]) if known else (row["identity"],)
        people[row["id"]] = Person(row["id"], row["name"], row["account"], identities)
    return list(people.values())


async def _put_account(conn: AsyncConnection, account: Account, at: datetime) -> None:
    values = {
        "name": account.name,
        "tier": account.tier,
        "csm": account.csm,
        "contract_start": account.contract_start,
        "renewal_date": account.renewal_date,
        "seats": account.seats,
        "external_id": account.external_id,
        "updated_at": at,
    }
    changed = await conn.execute(update(customer_accounts).where(customer_accounts.c.id == account.id).values(values))
    if changed.rowcount == 0:
        await conn.execute(insert(customer_accounts).values({"id": account.id, **values}))


async def _put_person(conn: AsyncConnection, account: str, draft: PersonDraft, at: datetime) -> None:
    """Add ``draft`` to ``account``: as the person its known identities belong to, else as a new person."""
    p, i = customer_people.c, customer_identities.c
    rows = list(
        (
            await conn.execute(
                select(i.identity, i.person, p.account)
                .join(customer_people, p.id == i.person)
                .where(i.identity.in_(draft.identities))
                .order_by(i.identity)
            )
        ).mappings()
    )
    for row in rows:
        if row["account"] is not None and row["account"] != account:
            raise IdentityTakenError(f"{row['identity']} belongs to someone in account {row['account']!r} already")
    persons = list(dict.fromkeys(row["person"] for row in rows))
    if len(persons) > 1:
        first, second = rows[0]["identity"], next(r["identity"] for r in rows if r["person"] != rows[0]["person"])
        raise IdentityTakenError(
            f"{first} and {second} are two different people; a moderator joins them: customer link {first} {second}"
        )
    if persons:
        person = persons[0]
        await conn.execute(update(customer_people).where(p.id == person).values(name=draft.name, account=account))
    else:
        person = new_person_id()
        await conn.execute(insert(customer_people).values(id=person, name=draft.name, account=account, created_at=at))
    known = {row["identity"] for row in rows}
    new = [{"identity": ident, "person": person, "added_at": at} for ident in draft.identities if ident not in known]
    if new:
        try:
            await conn.execute(insert(customer_identities), new)
        except IntegrityError:  # a racing writer added one of them first
            raise IdentityTakenError(
                f"one of {', '.join(draft.identities)} was just added elsewhere; try again"
            ) from None
