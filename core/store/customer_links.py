"""The customer links port in SQL: which identities are one person, the link audit, and the one-time link codes.

A link or an unlink changes the identities and writes its audit line in one transaction. A code is redeemed by
one conditional UPDATE, so of two redemptions racing each other only one gets it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy import delete, func, insert, or_, select, update

from core.customers.records import LinkCode, LinkEvent, LinkRefusedError, NotLinkedError, Person
from core.store.base import SqlPort
from core.store.customers import new_person_id, people_from
from core.store.schema_customers import (
    customer_identities,
    customer_link_codes,
    customer_link_events,
    customer_link_failures,
    customer_people,
)

if TYPE_CHECKING:
    from datetime import datetime

    from sqlalchemy import RowMapping
    from sqlalchemy.ext.asyncio import AsyncConnection


class SqlCustomerLinks(SqlPort):
    """The ``CustomerLinks`` port in a SQL database."""

    async def person_of(self, identity: str) -> Person | None:
        """The person this identity belongs to, with all their identities."""
        async with self._engine.connect() as conn:
            return await _person_of(conn, identity)

    async def link(self, first: str, second: str, actor: str, at: datetime) -> Person:
        """Join ``first`` and ``second`` into one person and audit it (see the port)."""
        async with self._write() as conn:
            one, two = await _person_of(conn, first), await _person_of(conn, second)
            if one is not None and two is not None and one.id == two.id:
                return one
            if one is not None and two is not None and one.account and two.account and one.account != two.account:
                raise LinkRefusedError(
                    f"{first} is in account {one.account!r} and {second} in account {two.account!r}; "
                    "people of two accounts are never joined"
                )
            if one is None and two is None:
                person = new_person_id()
                await conn.execute(insert(customer_people).values(id=person, name=first, account=None, created_at=at))
                await _add(conn, person, (first, second), at)
            elif two is None:
                assert one is not None
                person = one.id
                await _add(conn, person, (second,), at)
            elif one is None:
                person = two.id
                await _add(conn, person, (first,), at)
            else:
                keep, drop = (one, two) if one.account or not two.account else (two, one)
                person = keep.id
                i = customer_identities.c
                await conn.execute(update(customer_identities).where(i.person == drop.id).values(person=keep.id))
                await conn.execute(delete(customer_people).where(customer_people.c.id == drop.id))
            await _audit(conn, LinkEvent(at, actor, "linked", first, second, person))
            joined = await _person_of(conn, first)
        assert joined is not None
        return joined

    async def unlink(self, identity: str, actor: str, at: datetime) -> Person:
        """Give ``identity`` a person of its own, in no account, and audit it."""
        async with self._write() as conn:
            person = await _person_of(conn, identity)
            if person is None or len(person.identities) < 2:
                raise NotLinkedError(f"{identity} is not linked to anyone else, so there is nothing to unlink")
            alone = new_person_id()
            await conn.execute(insert(customer_people).values(id=alone, name=identity, account=None, created_at=at))
            i = customer_identities.c
            await conn.execute(update(customer_identities).where(i.identity == identity).values(person=alone))
            await _audit(conn, LinkEvent(at, actor, "unlinked", identity, None, alone))
        return Person(alone, identity, None, (identity,))

    async def history(self, identities: Sequence[str], limit: int = 50) -> list[LinkEvent]:
        """The audit lines naming any of ``identities``, newest first."""
        c = customer_link_events.c
        query = (
            select(customer_link_events)
            .where(or_(c.identity.in_(identities), c.other.in_(identities)))
            .order_by(c.id.desc())
            .limit(limit)
        )
        return [
            LinkEvent(r["at"], r["actor"], r["action"], r["identity"], r["other"], r["person"])
            for r in await self._read(query)
        ]

    async def issue_code(self, code: LinkCode) -> None:
        """Keep a new link code by its hash."""
        async with self._write() as conn:
            await conn.execute(
                insert(customer_link_codes).values(
                    code_hash=code.code_hash,
                    identity=code.identity,
                    created_at=code.created_at,
                    expires_at=code.expires_at,
                    used_at=code.used_at,
                )
            )

    async def redeem_code(self, code_hash: str, now: datetime) -> LinkCode | None:
        """Mark the code used if it is unused and unexpired at ``now``, then read it: it comes back once only."""
        row = await self._redeem_once(customer_link_codes, customer_link_codes.c.code_hash, code_hash, now)
        if row is None:
            return None
        return LinkCode(row["code_hash"], row["identity"], row["created_at"], row["expires_at"], row["used_at"])

    async def codes_since(self, identities: Sequence[str], since: datetime) -> int:
        """How many codes any of ``identities`` asked for at or after ``since``."""
        c = customer_link_codes.c
        return await self._count(select(func.count()).where(c.identity.in_(identities), c.created_at >= since))

    async def record_failure(self, identity: str, at: datetime) -> None:
        """Count one wrong code entered by ``identity``."""
        async with self._write() as conn:
            await conn.execute(insert(customer_link_failures).values(identity=identity, at=at))

    async def failures_since(self, identities: Sequence[str], since: datetime) -> int:
        """Wrong codes entered by any of ``identities`` at or after ``since``."""
        c = customer_link_failures.c
        return await self._count(select(func.count()).where(c.identity.in_(identities), c.at >= since))

    async def _count(self, query: object) -> int:
        async with self._engine.connect() as conn:
            return int((await conn.execute(query)).scalar_one())  # type: ignore[call-overload]


async def _person_of(conn: AsyncConnection, identity: str) -> Person | None:
    p, i = customer_people.c, customer_identities.c
    owner = select(i.person).where(i.identity == identity).scalar_subquery()
    query = (
        select(p.id, p.name, p.account, i.identity)
        .join(customer_identities, i.person == p.id)
        .where(p.id == owner)
        .order_by(i.identity)
    )
    rows: list[RowMapping] = list((await conn.execute(query)).mappings())
    found = people_from(rows)
    return found[0] if found else None


async def _add(conn: AsyncConnection, person: str, identities: Sequence[str], at: datetime) -> None:
    await conn.execute(
        insert(customer_identities), [{"identity": ident, "person": person, "added_at": at} for ident in identities]
    )


async def _audit(conn: AsyncConnection, event: LinkEvent) -> None:
    await conn.execute(
        insert(customer_link_events).values(
            at=event.at,
            actor=event.actor,
            action=event.action,
            identity=event.identity,
            other=event.other,
            person=event.person,
        )
    )
