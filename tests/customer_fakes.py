"""In-memory customer ports (accounts with people and usage; links with codes and the audit) for core tests."""

from __future__ import annotations

import copy
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from core.customers.records import (
    Account,
    AccountEntry,
    AccountNotFoundError,
    IdentityTakenError,
    LinkCode,
    LinkEvent,
    LinkRefusedError,
    NotLinkedError,
    Person,
    PersonDraft,
    Usage,
)


@dataclass
class CustomerState:
    """What both fakes share: accounts, people (id → name, account), identities (identity → person id)."""

    accounts: dict[str, Account] = field(default_factory=dict)
    people: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    identities: dict[str, str] = field(default_factory=dict)
    usage: list[Usage] = field(default_factory=list)
    codes: dict[str, LinkCode] = field(default_factory=dict)
    failures: list[tuple[str, datetime]] = field(default_factory=list)
    events: list[LinkEvent] = field(default_factory=list)
    ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def person(self, person_id: str) -> Person:
        """The person with every identity of theirs, sorted."""
        name, account = self.people[person_id]
        return Person(person_id, name, account, tuple(sorted(i for i, p in self.identities.items() if p == person_id)))

    def new_person(self, name: str, account: str | None) -> str:
        """Add a person; their id."""
        person_id = f"p-{next(self.ids):016x}"
        self.people[person_id] = (name, account)
        return person_id


class InMemoryCustomerAccounts:
    """``CustomerAccounts`` in dictionaries; ``save`` changes a copy and keeps it only when every entry fits."""

    def __init__(self, state: CustomerState) -> None:
        self.state = state

    async def save(self, entries: Sequence[AccountEntry], at: datetime) -> None:
        """Create or update the accounts and add their people, all or nothing."""
        draft = CustomerState(
            dict(self.state.accounts), dict(self.state.people), dict(self.state.identities), ids=self.state.ids
        )
        for entry in entries:
            draft.accounts[entry.account.id] = entry.account
            for person in entry.people:
                _put_person(draft, entry.account.id, person)
        self.state.accounts, self.state.people, self.state.identities = draft.accounts, draft.people, draft.identities

    async def get(self, account_id: str) -> Account | None:
        """The account with this id."""
        return self.state.accounts.get(account_id)

    async def accounts(self) -> list[Account]:
        """Every account, by id."""
        return [self.state.accounts[key] for key in sorted(self.state.accounts)]

    async def people(self, account_id: str) -> list[Person]:
        """The account's people, by name then id (only those with an identity)."""
        mine = [self.state.person(pid) for pid, (_, account) in self.state.people.items() if account == account_id]
        return sorted((p for p in mine if p.identities), key=lambda p: (p.name, p.id))

    async def everyone(self) -> list[Person]:
        """The people of every account, by account, name and id."""
        mine = [self.state.person(pid) for pid, (_, account) in self.state.people.items() if account is not None]
        return sorted((p for p in mine if p.identities), key=lambda p: (p.account or "", p.name, p.id))

    async def record_usage(self, usage: Usage) -> None:
        """Keep the figures of a known account."""
        if usage.account not in self.state.accounts:
            raise AccountNotFoundError(f"there is no account {usage.account!r}")
        self.state.usage.append(usage)

    async def usage(self, account_id: str, limit: int = 30) -> list[Usage]:
        """The latest figures, newest first."""
        mine = [(u.at, n, u) for n, u in enumerate(self.state.usage) if u.account == account_id]
        return [u for _, _, u in sorted(mine, key=lambda t: (t[0], t[1]), reverse=True)][:limit]


def _put_person(state: CustomerState, account: str, draft: PersonDraft) -> None:
    known = sorted(i for i in draft.identities if i in state.identities)
    for ident in known:
        other = state.people[state.identities[ident]][1]
        if other is not None and other != account:
            raise IdentityTakenError(f"{ident} belongs to someone in account {other!r} already")
    persons = list(dict.fromkeys(state.identities[i] for i in known))
    if len(persons) > 1:
        raise IdentityTakenError(f"{known[0]} and another identity listed with it are two different people")
    person = persons[0] if persons else state.new_person(draft.name, account)
    state.people[person] = (draft.name, account)
    for ident in draft.identities:
        state.identities.setdefault(ident, person)


class InMemoryCustomerLinks:
    """``CustomerLinks`` over the same ``CustomerState`` as the accounts fake."""

    def __init__(self, state: CustomerState) -> None:
        self.state = state

    async def person_of(self, identity: str) -> Person | None:
        """The identity's person."""
        person = self.state.identities.get(identity)
        return None if person is None else self.state.person(person)

    async def link(self, first: str, second: str, actor: str, at: datetime) -> Person:
        """Join the two identities' people (refusing two accounts) and audit it."""
        s = self.state
        one, two = await self.person_of(first), await self.person_of(second)
        if one is not None and two is not None and one.id == two.id:
            return one
        if one is not None and two is not None and one.account and two.account and one.account != two.account:
            raise LinkRefusedError(
                f"{first} is in account {one.account!r} and {second} in account {two.account!r}; "
                "people of two accounts are never joined"
            )
        if one is None and two is None:
            person = s.new_person(first, None)
            s.identities[first] = s.identities[second] = person
        elif two is None:
            assert one is not None
            person = s.identities[second] = one.id
        elif one is None:
            person = s.identities[first] = two.id
        else:
            keep, drop = (one, two) if one.account or not two.account else (two, one)
            person = keep.id
            for ident in drop.identities:
                s.identities[ident] = keep.id
            del s.people[drop.id]
        s.events.append(LinkEvent(at, actor, "linked", first, second, person))
        return s.person(person)

    async def unlink(self, identity: str, actor: str, at: datetime) -> Person:
        """Give the identity a person of its own, in no account."""
        person = await self.person_of(identity)
        if person is None or len(person.identities) < 2:
            raise NotLinkedError(f"{identity} is not linked to anyone else, so there is nothing to unlink")
        alone = self.state.new_person(identity, None)
        self.state.identities[identity] = alone
        self.state.events.append(LinkEvent(at, actor, "unlinked", identity, None, alone))
        return self.state.person(alone)

    async def history(self, identities: Sequence[str], limit: int = 50) -> list[LinkEvent]:
        """The audit lines naming any of them, newest first."""
        wanted = set(identities)
        named = [e for e in self.state.events if e.identity in wanted or e.other in wanted]
        return list(reversed(named))[:limit]

    async def issue_code(self, code: LinkCode) -> None:
        """Keep the code by its hash."""
        self.state.codes[code.code_hash] = copy.copy(code)

    async def redeem_code(self, code_hash: str, now: datetime) -> LinkCode | None:
        """Use an unused, unexpired code once."""
        code = self.state.codes.get(code_hash)
        if code is None or code.used_at is not None or code.expires_at <= now:
            return None
        used = self.state.codes[code_hash] = replace(code, used_at=now)
        return used

    async def codes_since(self, identities: Sequence[str], since: datetime) -> int:
        """Codes asked for by any of them since ``since``."""
        return sum(1 for c in self.state.codes.values() if c.identity in identities and c.created_at >= since)

    async def record_failure(self, identity: str, at: datetime) -> None:
        """Count a wrong code."""
        self.state.failures.append((identity, at))

    async def failures_since(self, identities: Sequence[str], since: datetime) -> int:
        """Wrong codes by any of them since ``since``."""
        return sum(1 for ident, at in self.state.failures if ident in identities and at >= since)


def customer_fakes() -> tuple[InMemoryCustomerAccounts, InMemoryCustomerLinks]:
    """Both customer ports over one fresh state."""
    state = CustomerState()
    return InMemoryCustomerAccounts(state), InMemoryCustomerLinks(state)
