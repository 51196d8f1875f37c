"""The staff ports in SQL: accounts with their one-time sign-in links, and sessions with the failed sign-ins.

Each method is one transaction. A link is redeemed by one conditional UPDATE, so of two redemptions racing
each other only one changes the row and gets the link; disabling an account revokes its sessions in the
same transaction, and a session is live only while its account is enabled.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from core.staff.ports import StaffExistsError, StaffNotFoundError
from core.staff.records import Identity, SignInLink, StaffAccount, StaffRole, StaffSession
from core.store.base import SqlPort
from core.store.schema_staff import staff_accounts, staff_sessions, staff_sign_in_failures, staff_sign_in_links

if TYPE_CHECKING:
    from datetime import datetime

    from sqlalchemy import RowMapping
    from sqlalchemy.ext.asyncio import AsyncConnection

DISPLAY_NAME_LENGTH = 255  # the tables' display_name columns


class SqlStaffAccounts(SqlPort):
    """The ``StaffAccounts`` port in a SQL database."""

    async def add(self, account: StaffAccount) -> None:
        """Keep a new account; ``StaffExistsError`` when its name or its identity is taken (the table's keys say)."""
        try:
            async with self._write() as conn:
                await conn.execute(insert(staff_accounts).values(account_values(account)))
        except IntegrityError:
            raise StaffExistsError(
                f"a staff account named {account.name!r} or acting as {account.identity.actor} exists already"
            ) from None

    async def get(self, name: str) -> StaffAccount | None:
        """The account with this name, if any."""
        found = await self._read(select(staff_accounts).where(staff_accounts.c.name == name))
        return account_from(found[0]) if found else None

    async def for_identity(self, platform: str, user_id: str) -> StaffAccount | None:
        """The account that acts as this platform identity, if any."""
        c = staff_accounts.c
        found = await self._read(select(staff_accounts).where(c.platform == platform, c.user_id == user_id))
        return account_from(found[0]) if found else None

    async def accounts(self) -> list[StaffAccount]:
        """Every account, by name."""
        return [account_from(row) for row in await self._read(select(staff_accounts).order_by(staff_accounts.c.name))]

    async def set_disabled(self, name: str, disabled: bool, now: datetime) -> StaffAccount:
        """Disable (revoking its live sessions in the same transaction) or enable an account."""
        async with self._write() as conn:
            await _change(conn, name, {"disabled": disabled})
            if disabled:
                await _revoke_live(conn, name, now)
            row = (await conn.execute(select(staff_accounts).where(staff_accounts.c.name == name))).mappings().one()
        return account_from(row)

    async def set_password(self, name: str, password_hash: str) -> None:
        """Replace an account's password hash; ``StaffNotFoundError`` if there is no such account."""
        async with self._write() as conn:
            await _change(conn, name, {"password_hash": password_hash})

    async def issue_link(self, link: SignInLink) -> None:
        """Keep a new sign-in link (by its token's hash only)."""
        values = _token_values(link.token_hash, link.identity, link.created_at, link.expires_at)
        async with self._write() as conn:
            await conn.execute(insert(staff_sign_in_links).values({**values, "used_at": link.used_at}))

    async def link(self, token_hash: str) -> SignInLink | None:
        """The link with this hash, used or not, without using it."""
        rows = await self._read(select(staff_sign_in_links).where(staff_sign_in_links.c.token_hash == token_hash))
        if not rows:
            return None
        row = rows[0]
        return SignInLink(row["token_hash"], identity_from(row), row["created_at"], row["expires_at"], row["used_at"])

    async def redeem_link(self, token_hash: str, now: datetime) -> SignInLink | None:
        """Mark the link used if it is unused and unexpired at ``now``, then read it: it comes back once only."""
        row = await self._redeem_once(staff_sign_in_links, staff_sign_in_links.c.token_hash, token_hash, now)
        if row is None:
            return None
        return SignInLink(row["token_hash"], identity_from(row), row["created_at"], row["expires_at"], row["used_at"])


class SqlStaffSessions(SqlPort):
    """The ``StaffSessions`` port in a SQL database."""

    async def start(self, session: StaffSession) -> None:
        """Keep a new session (by its token's hash only)."""
        values = _token_values(session.token_hash, session.identity, session.created_at, session.expires_at)
        mine = {"account": session.account, "role": session.role.value, "csrf_token": session.csrf_token}
        async with self._write() as conn:
            await conn.execute(insert(staff_sessions).values({**values, **mine, "revoked_at": session.revoked_at}))

    async def get(self, token_hash: str, now: datetime) -> StaffSession | None:
        """The session if it is unrevoked and unexpired at ``now`` and its account exists and is enabled."""
        s, a = staff_sessions.c, staff_accounts.c
        query = (
            select(staff_sessions)
            .join(staff_accounts, a.name == s.account)
            .where(s.token_hash == token_hash, s.revoked_at.is_(None), s.expires_at > now, a.disabled.is_(False))
        )
        found = await self._read(query)
        return session_from(found[0]) if found else None

    async def revoke(self, token_hash: str, now: datetime) -> None:
        """End one session; an unknown or already revoked one is left as it is."""
        c = staff_sessions.c
        async with self._write() as conn:
            await conn.execute(
                update(staff_sessions).where(c.token_hash == token_hash, c.revoked_at.is_(None)).values(revoked_at=now)
            )

    async def revoke_all(self, account: str, now: datetime) -> int:
        """End every live session of an account; how many were ended."""
        async with self._write() as conn:
            return await _revoke_live(conn, account, now)

    async def record_failure(self, keys: Sequence[str], at: datetime) -> None:
        """Count one failed sign-in against each key."""
        if not keys:
            return
        async with self._write() as conn:
            await conn.execute(insert(staff_sign_in_failures), [{"key": key, "at": at} for key in keys])

    async def failures_since(self, key: str, since: datetime) -> int:
        """Failed sign-ins counted against ``key`` at or after ``since``."""
        c = staff_sign_in_failures.c
        async with self._engine.connect() as conn:
            found = await conn.execute(select(func.count()).where(c.key == key, c.at >= since))
            return int(found.scalar_one())

    async def clear_failures(self, key: str) -> None:
        """Forget a key's failures."""
        async with self._write() as conn:
            await conn.execute(delete(staff_sign_in_failures).where(staff_sign_in_failures.c.key == key))


async def _change(conn: AsyncConnection, name: str, values: dict[str, Any]) -> None:
    """Update the named account's row; ``StaffNotFoundError`` (and nothing changed) if there is none."""
    changed = await conn.execute(update(staff_accounts).where(staff_accounts.c.name == name).values(values))
    if changed.rowcount != 1:
        raise StaffNotFoundError(f"no staff account is named {name!r}")


async def _revoke_live(conn: AsyncConnection, account: str, now: datetime) -> int:
    c = staff_sessions.c
    revoked = await conn.execute(
        update(staff_sessions)
        .where(c.account == account, c.revoked_at.is_(None), c.expires_at > now)
        .values(revoked_at=now)
    )
    return int(revoked.rowcount)


def identity_values(identity: Identity) -> dict[str, str]:
    """An identity's columns: platform, user id, display name (cut to the column) and its roles as JSON.

    The roles are a sorted JSON list, not comma-separated: a Discord role's name may contain a comma.
    """
    return {
        "platform": identity.platform,
        "user_id": identity.user_id,
        "display_name": identity.name[:DISPLAY_NAME_LENGTH],
        "roles": json.dumps(sorted(identity.roles), ensure_ascii=False),
    }


def account_values(account: StaffAccount) -> dict[str, Any]:
    """An account's row."""
    return {
        "name": account.name,
        "role": account.role.value,
        **identity_values(account.identity),
        "password_hash": account.password_hash,
        "disabled": account.disabled,
        "created_at": account.created_at,
    }


def _token_values(hashed: str, identity: Identity, created_at: datetime, expires_at: datetime) -> dict[str, Any]:
    """What a link's and a session's rows share: the token's hash, the identity, and when it starts and ends."""
    return {"token_hash": hashed, **identity_values(identity), "created_at": created_at, "expires_at": expires_at}


def identity_from(row: RowMapping) -> Identity:
    """The identity kept in a row's platform, user id, display name and roles columns."""
    roles = json.loads(row["roles"])
    return Identity(row["platform"], row["user_id"], row["display_name"], frozenset(str(role) for role in roles))


def account_from(row: RowMapping) -> StaffAccount:
    """An account read back from its row."""
    return StaffAccount(
        name=row["name"],
        role=StaffRole(row["role"]),
        identity=identity_from(row),
        created_at=row["created_at"],
        password_hash=row["password_hash"],
        disabled=bool(row["disabled"]),
    )


def session_from(row: RowMapping) -> StaffSession:
    """A session read back from its row."""
    return StaffSession(
        token_hash=row["token_hash"],
        account=row["account"],
        role=StaffRole(row["role"]),
        identity=identity_from(row),
        csrf_token=row["csrf_token"],
        created_at=row["created_at"],
        expires_at=row["expires_at"],
        revoked_at=row["revoked_at"],
    )
