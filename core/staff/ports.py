"""The staff domain's ports: accounts with their sign-in links, and sessions with the sign-in attempts they limit.

Every method is one transaction. Times are timezone-aware UTC.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from core.staff.records import SignInLink, StaffAccount, StaffSession


class StaffExistsError(ValueError):
    """An account with that name (or that platform identity) exists already."""


class StaffNotFoundError(LookupError):
    """No account has that name."""


class StaffAccounts(Protocol):
    """Dashboard accounts, and the one-time sign-in links moderators ask for in chat."""

    async def add(self, account: StaffAccount) -> None:
        """Keep a new account; raises ``StaffExistsError`` when its name or its identity is taken."""
        ...

    async def get(self, name: str) -> StaffAccount | None:
        """The account with this name, if any."""
        ...

    async def for_identity(self, platform: str, user_id: str) -> StaffAccount | None:
        """The account that acts as this platform identity, if any."""
        ...

    async def accounts(self) -> list[StaffAccount]:
        """Every account, by name."""
        ...

    async def set_disabled(self, name: str, disabled: bool, now: datetime) -> StaffAccount:
        """Disable (revoking every session of it, together) or enable an account; ``StaffNotFoundError`` if none."""
        ...

    async def set_password(self, name: str, password_hash: str) -> None:
        """Replace an account's password hash; ``StaffNotFoundError`` if none."""
        ...

    async def issue_link(self, link: SignInLink) -> None:
        """Keep a new sign-in link."""
        ...

    async def link(self, token_hash: str) -> SignInLink | None:
        """The link with this hash, used or not, without using it (what its sign-in page shows)."""
        ...

    async def redeem_link(self, token_hash: str, now: datetime) -> SignInLink | None:
        """Use a link once: it comes back (marked used) only if it exists, is unused and unexpired at ``now``.

        Two redemptions of one link racing each other get it once between them.
        """
        ...


class StaffSessions(Protocol):
    """Signed-in sessions, and the failed sign-in attempts that rate-limit an account or an address."""

    async def start(self, session: StaffSession) -> None:
        """Keep a new session."""
        ...

    async def get(self, token_hash: str, now: datetime) -> StaffSession | None:
        """The session if it is live at ``now`` and its account is not disabled; else None."""
        ...

    async def revoke(self, token_hash: str, now: datetime) -> None:
        """End one session (signing out); unknown hashes are ignored."""
        ...

    async def revoke_all(self, account: str, now: datetime) -> int:
        """End every live session of an account; how many were ended."""
        ...

    async def record_failure(self, keys: Sequence[str], at: datetime) -> None:
        """Count one failed sign-in against each key (``account:NAME``, ``address:IP``)."""
        ...

    async def failures_since(self, key: str, since: datetime) -> int:
        """Failed sign-ins counted against ``key`` at or after ``since``."""
        ...

    async def clear_failures(self, key: str) -> None:
        """Forget a key's failures (after a successful sign-in of that account)."""
        ...
