"""The customer domain's ports: accounts with their people and usage, and the identities' links with their codes.

Every method is one transaction. Times are timezone-aware UTC.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from core.customers.health_history import HealthDay
    from core.customers.journeys import Progress, StopReason
    from core.customers.outreach import Occurrence
    from core.customers.outreach_steps import OutreachRecord, OutreachStep
    from core.customers.records import Account, AccountEntry, LinkCode, LinkEvent, Person, Usage
    from core.messages import Outbound


class CustomerAccounts(Protocol):
    """Accounts, the people listed in them, and the usage figures reported for them."""

    async def save(self, entries: Sequence[AccountEntry], at: datetime) -> None:
        """Create or update every account and add its listed people, all or nothing.

        A listed person whose identities are all new becomes a new person; one with a known identity is that
        person (their new identities join them, their name is updated). ``IdentityTakenError`` when an identity
        belongs to someone of another account, or a draft names identities of two different people.
        People an entry does not list are kept.
        """
        ...

    async def get(self, account_id: str) -> Account | None:
        """The account with this id, if any."""
        ...

    async def accounts(self) -> list[Account]:
        """Every account, by id."""
        ...

    async def people(self, account_id: str) -> list[Person]:
        """The account's people, by name then id."""
        ...

    async def everyone(self) -> list[Person]:
        """The people of every account (those in no account left out), by account, name and id."""
        ...

    async def record_usage(self, usage: Usage) -> None:
        """Keep reported usage figures; ``AccountNotFoundError`` for an unknown account."""
        ...

    async def usage(self, account_id: str, limit: int = 30) -> list[Usage]:
        """The account's latest usage figures, newest first."""
        ...


class CustomerLinks(Protocol):
    """Which identities are one person, how they came to be, and the one-time codes that link them."""

    async def person_of(self, identity: str) -> Person | None:
        """The person this identity belongs to, with all their identities; None for an unknown identity."""
        ...

    async def link(self, first: str, second: str, actor: str, at: datetime) -> Person:
        """Make ``first`` and ``second`` one person (creating, extending or joining people) and audit it.

        ``LinkRefusedError`` when they belong to people of two different accounts. Linking two identities
        that are one person already changes and audits nothing.
        """
        ...

    async def unlink(self, identity: str, actor: str, at: datetime) -> Person:
        """Separate ``identity`` from its person into a person of its own, in no account; audited.

        ``NotLinkedError`` when the identity is unknown or alone.
        """
        ...

    async def history(self, identities: Sequence[str], limit: int = 50) -> list[LinkEvent]:
        """The audit lines naming any of ``identities``, newest first."""
        ...

    async def issue_code(self, code: LinkCode) -> None:
        """Keep a new link code (by its hash only)."""
        ...

    async def redeem_code(self, code_hash: str, now: datetime) -> LinkCode | None:
        """Use a code once: it comes back (marked used) only if it exists, is unused and unexpired at ``now``."""
        ...

    async def codes_since(self, identities: Sequence[str], since: datetime) -> int:
        """How many codes any of ``identities`` asked for at or after ``since``."""
        ...

    async def record_failure(self, identity: str, at: datetime) -> None:
        """Count one wrong code entered by ``identity``."""
        ...

    async def failures_since(self, identities: Sequence[str], since: datetime) -> int:
        """Wrong codes entered by any of ``identities`` at or after ``since``."""
        ...


class HealthHistory(Protocol):
    """Every account's health score per day; one per account and day, kept unique by the database."""

    async def add(self, score: HealthDay) -> bool:
        """Keep the day's score unless the account has one for that day already; True if this one was kept."""
        ...

    async def put(self, score: HealthDay) -> None:
        """Keep the day's score, replacing the one the account had for that day (a recomputation on demand)."""
        ...

    async def history(self, account_id: str, since: date) -> list[HealthDay]:
        """The account's scores from ``since`` on, oldest first."""
        ...

    async def every_history(self, since: date) -> list[HealthDay]:
        """Every account's scores from ``since`` on, by account, then oldest first."""
        ...

    async def scored_on(self, day: date) -> set[str]:
        """The accounts that have a score for ``day``."""
        ...


class OutreachRecords(Protocol):
    """The outreach timeline: each occurrence of a playbook once per account (a unique index), with its actions."""

    async def occur(
        self, occurrence: Occurrence, at: datetime, since: datetime, plan: Callable[[int], Sequence[OutreachStep]]
    ) -> list[OutreachRecord] | None:
        """Record the occurrence and the steps ``plan`` makes, and queue the sent steps' notices, in one transaction.

        ``plan`` is given how many customer messages the account had sent or deferred from ``since`` on (counted
        under a lock on the account, so two workers do not both pass the throttle). None, and nothing written,
        when the account had this occurrence already.
        """
        ...

    async def occurred(self, account: str) -> set[tuple[str, str]]:
        """The account's recorded occurrences as (playbook, key)."""
        ...

    async def release(self, now: datetime, limit: int = 100) -> list[OutreachRecord]:
        """Queue the deferred messages due at ``now`` in the outbox, each once across workers; the ones released."""
        ...

    async def timeline(self, account: str, limit: int = 50) -> list[OutreachRecord]:
        """The account's outreach records, newest first."""
        ...


class JourneyProgress(Protocol):
    """Every person's onboarding journey: the next step, its state; a step's message queued with its advance."""

    async def start(self, progress: Progress) -> bool:
        """Keep a new journey unless the person has one (of any state); True if this one was kept."""
        ...

    async def get(self, person: str) -> Progress | None:
        """The journey of this person (``platform:id``), if any."""
        ...

    async def active(self) -> list[Progress]:
        """Every active journey, oldest start first."""
        ...

    async def of_people(self, people: Sequence[str]) -> list[Progress]:
        """The journeys of these people (any state), by person."""
        ...

    async def advance(self, person: str, step: int, notice: Outbound, at: datetime, *, last: bool) -> bool:
        """Mark step ``step`` sent and queue ``notice`` in the outbox, together; ``last`` completes the journey.

        False, and nothing written, unless the journey is active and its next step is still ``step``: of two
        workers sending the same step, one wins.
        """
        ...

    async def stop(self, person: str, reason: StopReason, at: datetime) -> bool:
        """Stop the person's active journey; False when there was none active."""
        ...
