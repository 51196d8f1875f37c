"""In-memory staff ports (accounts with sign-in links, sessions with failed sign-ins) for core and web tests."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime

from core.staff.ports import StaffExistsError, StaffNotFoundError
from core.staff.records import SignInLink, StaffAccount, StaffSession


class InMemoryStaffAccounts:
    """``StaffAccounts`` in dictionaries; disabling revokes the account's sessions in ``sessions`` (if given)."""

    def __init__(self, sessions: InMemoryStaffSessions | None = None) -> None:
        self.by_name: dict[str, StaffAccount] = {}
        self.links: dict[str, SignInLink] = {}
        self.sessions = sessions

    async def add(self, account: StaffAccount) -> None:
        """Keep a new account, refusing a taken name or identity."""
        identity = (account.identity.platform, account.identity.user_id)
        taken = any((a.identity.platform, a.identity.user_id) == identity for a in self.by_name.values())
        if account.name in self.by_name or taken:
            raise StaffExistsError(
                f"a staff account named {account.name!r} or acting as {account.identity.actor} exists already"
            )
        self.by_name[account.name] = account

    async def get(self, name: str) -> StaffAccount | None:
        """The account with this name."""
        return self.by_name.get(name)

    async def for_identity(self, platform: str, user_id: str) -> StaffAccount | None:
        """The account acting as this identity."""
        return next(
            (a for a in self.by_name.values() if (a.identity.platform, a.identity.user_id) == (platform, user_id)),
            None,
        )

    async def accounts(self) -> list[StaffAccount]:
        """Every account, by name."""
        return [self.by_name[name] for name in sorted(self.by_name)]

    async def set_disabled(self, name: str, disabled: bool, now: datetime) -> StaffAccount:
        """Disable (revoking its sessions) or enable."""
        account = self._known(name)
        self.by_name[name] = changed = replace(account, disabled=disabled)
        if disabled and self.sessions is not None:
            await self.sessions.revoke_all(name, now)
        return changed

    async def set_password(self, name: str, password_hash: str) -> None:
        """Replace the password hash."""
        self.by_name[name] = replace(self._known(name), password_hash=password_hash)

    async def issue_link(self, link: SignInLink) -> None:
        """Keep a link."""
        self.links[link.token_hash] = link

    async def link(self, token_hash: str) -> SignInLink | None:
        """The link, used or not."""
        return self.links.get(token_hash)

    async def redeem_link(self, token_hash: str, now: datetime) -> SignInLink | None:
        """Use a link once, if unused and unexpired."""
        link = self.links.get(token_hash)
        if link is None or link.used_at is not None or now >= link.expires_at:
            return None
        self.links[token_hash] = used = replace(link, used_at=now)
        return used

    def _known(self, name: str) -> StaffAccount:
        account = self.by_name.get(name)
        if account is None:
            raise StaffNotFoundError(f"no staff account is named {name!r}")
        return account


class InMemoryStaffSessions:
    """``StaffSessions`` in dictionaries; ``accounts`` (set after construction) says which accounts are disabled."""

    def __init__(self) -> None:
        self.by_hash: dict[str, StaffSession] = {}
        self.failures: list[tuple[str, datetime]] = []
        self.accounts: InMemoryStaffAccounts | None = None

    async def start(self, session: StaffSession) -> None:
        """Keep a session."""
        self.by_hash[session.token_hash] = session

    async def get(self, token_hash: str, now: datetime) -> StaffSession | None:
        """The live session of an enabled account."""
        session = self.by_hash.get(token_hash)
        if session is None or not session.live(now):
            return None
        account = self.accounts.by_name.get(session.account) if self.accounts is not None else None
        if self.accounts is not None and (account is None or account.disabled):
            return None
        return session

    async def revoke(self, token_hash: str, now: datetime) -> None:
        """End one session."""
        session = self.by_hash.get(token_hash)
        if session is not None and session.revoked_at is None:
            self.by_hash[token_hash] = replace(session, revoked_at=now)

    async def revoke_all(self, account: str, now: datetime) -> int:
        """End every live session of an account."""
        live = [s for s in self.by_hash.values() if s.account == account and s.live(now)]
        for session in live:
            self.by_hash[session.token_hash] = replace(session, revoked_at=now)
        return len(live)

    async def record_failure(self, keys: Sequence[str], at: datetime) -> None:
        """Count a failure against each key."""
        self.failures.extend((key, at) for key in keys)

    async def failures_since(self, key: str, since: datetime) -> int:
        """Failures of ``key`` at or after ``since``."""
        return sum(1 for k, at in self.failures if k == key and at >= since)

    async def clear_failures(self, key: str) -> None:
        """Forget a key's failures."""
        self.failures = [(k, at) for k, at in self.failures if k != key]


def staff_fakes() -> tuple[InMemoryStaffAccounts, InMemoryStaffSessions]:
    """A linked pair: disabling an account ends its sessions, and a disabled account's sessions are not live."""
    sessions = InMemoryStaffSessions()
    accounts = InMemoryStaffAccounts(sessions)
    sessions.accounts = accounts
    return accounts, sessions
