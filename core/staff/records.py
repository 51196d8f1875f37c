"""The staff domain's records: accounts, the identity the dashboard acts as, sign-in links and sessions.

Secrets never sit in these records in the clear: a password is kept as its argon2 hash, a sign-in link's and a
session's token as its SHA-256 (``tokens.token_hash``); the clear token exists only in the link or the cookie.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

DASHBOARD = "dashboard"  # the platform of accounts that sign in with a password


class StaffRole(StrEnum):
    """What an account may see: agents work tickets; leads also see analytics and manage staff."""

    AGENT = "agent"
    LEAD = "lead"


@dataclass(frozen=True)
class Identity:
    """Whom the dashboard acts as when it runs a desk command: a platform identity, as the chat commands see it.

    A password account acts as ``dashboard:NAME`` with the moderator roles it was given; a sign-in link acts as
    the moderator who asked for it (``discord:123…`` with the roles they had then).
    """

    platform: str
    user_id: str
    name: str
    roles: frozenset[str] = frozenset()

    @property
    def actor(self) -> str:
        """How the audit log and assignees name this identity: ``platform:id`` (as ``core.desk.context.actor_of``)."""
        return f"{self.platform}:{self.user_id}"


@dataclass(frozen=True)
class StaffAccount:
    """A dashboard account. ``name`` is unique; an account made by a sign-in link is named by its actor."""

    name: str
    role: StaffRole
    identity: Identity
    created_at: datetime
    password_hash: str | None = field(default=None, repr=False)  # argon2; None: signs in by link only
    disabled: bool = False


@dataclass(frozen=True)
class SignInLink:
    """A single-use link a moderator asked for in chat: it signs in as ``identity`` until ``expires_at``."""

    token_hash: str
    identity: Identity
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None


@dataclass(frozen=True)
class StaffSession:
    """A signed-in browser: the cookie carries the token; the store keeps its hash, so a session can be revoked."""

    token_hash: str
    account: str
    role: StaffRole
    identity: Identity
    csrf_token: str = field(repr=False)  # the value every form and POST of this session must carry
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None = None

    def live(self, now: datetime) -> bool:
        """Neither revoked nor expired at ``now``."""
        return self.revoked_at is None and now < self.expires_at
