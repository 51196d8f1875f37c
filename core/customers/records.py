"""The customer domain's records: accounts, people with their identities, usage figures, link codes and the
link audit.

An identity is how a person is known on one platform, written ``platform:id`` (``slack:U0ACME1``,
``discord:81234``, ``github:octocat``, ``email:ada@example.com``) exactly as the desk names a message's
author. A person is one human with one or more identities; an account is the organisation people belong to
and carries the tier, the customer success manager and the contract.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from core.errors import HelplineError

IDENTITY_PLATFORMS = ("slack", "discord", "github", "email", "console")
IDENTITY_LENGTH = 320  # the longest identity kept: an e-mail address may be 254 characters
ACCOUNT_ID_LENGTH = 128
_ACCOUNT_ID = re.compile(r"[a-z0-9][a-z0-9._-]*")
_IDENTITY_ID = re.compile(r"[^\s;,:]+")  # no blanks, and none of the CSV's separators


class CustomerError(HelplineError):
    """A customer record, identity or link that cannot be used as given; the message says why."""


class IdentityTakenError(CustomerError):
    """An identity belongs to a person of another account already (nothing is moved silently)."""


class LinkRefusedError(CustomerError):
    """Two identities cannot be joined into one person (they belong to people of different accounts)."""


class NotLinkedError(CustomerError):
    """An identity is not linked to anyone, so there is nothing to unlink."""


class AccountNotFoundError(CustomerError):
    """No account has that id."""


def identity(text: str) -> str:
    """``text`` as an identity (``platform:id``; platform and e-mail address lower-cased); refused if not one."""
    platform, colon, ident = text.strip().partition(":")
    platform = platform.lower()
    if not colon or platform not in IDENTITY_PLATFORMS:
        known = ", ".join(IDENTITY_PLATFORMS)
        raise CustomerError(f"{text.strip()!r} is not an identity; write platform:id with a platform of {known}")
    if not _IDENTITY_ID.fullmatch(ident) or len(platform) + 1 + len(ident) > IDENTITY_LENGTH:
        raise CustomerError(
            f"{text.strip()!r} is not an identity: the id after {platform}: is empty, too long or has blanks"
        )
    if platform == "email":
        if "@" not in ident.strip("@"):
            raise CustomerError(f"{text.strip()!r} is not an e-mail identity; write email:name@example.com")
        ident = ident.lower()
    return f"{platform}:{ident}"


def account_id(text: str) -> str:
    """``text`` as an account id: lower-case letters, digits, dots, dashes and underscores; refused if not one."""
    value = text.strip()
    if not _ACCOUNT_ID.fullmatch(value) or len(value) > ACCOUNT_ID_LENGTH:
        raise CustomerError(
            f"{value!r} is not an account id; use lower-case letters, digits, '.', '-' or '_' "
            f"(at most {ACCOUNT_ID_LENGTH} characters), starting with a letter or digit"
        )
    return value


@dataclass(frozen=True)
class Account:
    """An organisation the team supports: its tier, customer success manager and contract."""

    id: str
    name: str
    tier: str
    csm: str | None = None  # the customer success manager, a staff identity (platform:id)
    contract_start: date | None = None
    renewal_date: date | None = None
    seats: int | None = None  # licensed seats
    external_id: str | None = None  # the account's id in a CRM


@dataclass(frozen=True)
class Person:
    """One human and every identity they are known by; ``account`` None for someone in no account."""

    id: str
    name: str
    account: str | None
    identities: tuple[str, ...]


@dataclass(frozen=True)
class PersonDraft:
    """What an import or the API says about a person: a name and the identities that are theirs."""

    name: str
    identities: tuple[str, ...]


@dataclass(frozen=True)
class AccountEntry:
    """An account with the people an import or the API lists for it."""

    account: Account
    people: tuple[PersonDraft, ...] = ()


@dataclass(frozen=True)
class Usage:
    """Product-usage figures a billing or product system reported for an account (kept for the health score).

    Shares are fractions from 0 to 1; any figure may be missing.
    """

    account: str
    at: datetime  # when the figures were true
    active_users: int | None = None
    seats: int | None = None  # seats in use (the account's ``seats`` is what is licensed)
    feature_adoption: float | None = None
    plan_usage: float | None = None


@dataclass(frozen=True)
class LinkCode:
    """A one-time code a person asked for on one platform, to enter on another; kept only as its hash."""

    code_hash: str
    identity: str  # who asked
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None


@dataclass(frozen=True)
class LinkEvent:
    """One line of the link audit: who joined or separated which identities, when."""

    at: datetime
    actor: str  # the moderator's platform:id, or the identity that entered a code
    action: str  # "linked" or "unlinked"
    identity: str
    other: str | None  # the identity it was linked to; None for an unlink
    person: str  # the person the identity belongs to after the change
