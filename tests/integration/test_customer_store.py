"""Contract tests for the customer ports (accounts with people and usage; links with codes and the audit).

They run on the in-memory fakes, on SQLite and on PostgreSQL through the ``store`` fixture.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from core.customers.records import (
    Account,
    AccountEntry,
    AccountNotFoundError,
    IdentityTakenError,
    LinkCode,
    LinkRefusedError,
    NotLinkedError,
    PersonDraft,
    Usage,
)
from core.staff.tokens import token_hash
from core.stores import Stores

pytestmark = pytest.mark.asyncio

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ACME = Account("acme", "Acme Corp", "enterprise", "slack:UCSM", date(2025, 1, 1), date(2026, 12, 31), 50, "crm-1")
GLOBEX = Account("globex", "Globex", "professional")


def _entry(account: Account, *people: tuple[str, tuple[str, ...]]) -> AccountEntry:
    return AccountEntry(account, tuple(PersonDraft(name, ids) for name, ids in people))


async def test_an_account_keeps_its_fields_and_people_with_their_identities(store: Stores) -> None:
    await store.customers.save(
        [_entry(ACME, ("Ada", ("slack:U1", "discord:11")), ("Bob", ("github:bob",))), _entry(GLOBEX)], T0
    )
    assert await store.customers.get("acme") == ACME
    assert await store.customers.get("nobody") is None
    assert [a.id for a in await store.customers.accounts()] == ["acme", "globex"]
    people = await store.customers.people("acme")
    assert [(p.name, p.account, p.identities) for p in people] == [
        ("Ada", "acme", ("discord:11", "slack:U1")),
        ("Bob", "acme", ("github:bob",)),
    ]
    ada = await store.links.person_of("slack:U1")
    assert ada == people[0] == await store.links.person_of("discord:11")
    assert await store.links.person_of("slack:U404") is None


async def test_saving_again_updates_the_account_and_adds_identities_to_the_known_person(store: Stores) -> None:
    await store.customers.save([_entry(ACME, ("Ada", ("slack:U1",)))], T0)
    renewed = Account("acme", "Acme Inc", "white-glove", seats=80)
    await store.customers.save([_entry(renewed, ("Ada Lovelace", ("slack:U1", "email:ada@acme.test")))], T0)
    assert await store.customers.get("acme") == renewed
    [ada] = await store.customers.people("acme")
    assert (ada.name, ada.identities) == ("Ada Lovelace", ("email:ada@acme.test", "slack:U1"))


async def test_an_identity_of_another_account_is_refused_and_nothing_of_the_save_is_kept(store: Stores) -> None:
    await store.customers.save([_entry(ACME, ("Ada", ("slack:U1",)))], T0)
    with pytest.raises(IdentityTakenError, match="slack:U1 belongs to someone in account 'acme'"):
        await store.customers.save(
            [_entry(GLOBEX, ("Gil", ("slack:U2",))), _entry(GLOBEX, ("Ada?", ("slack:U1",)))], T0
        )
    assert await store.customers.get("globex") is None
    assert await store.links.person_of("slack:U2") is None


async def test_a_draft_naming_two_different_people_is_refused(store: Stores) -> None:
    await store.customers.save([_entry(ACME, ("Ada", ("slack:U1",)), ("Bob", ("slack:U2",)))], T0)
    with pytest.raises(IdentityTakenError, match="two different people"):
        await store.customers.save([_entry(ACME, ("Both", ("slack:U1", "slack:U2")))], T0)
    assert len(await store.customers.people("acme")) == 2


async def test_usage_is_kept_newest_first_and_refused_for_an_unknown_account(store: Stores) -> None:
    await store.customers.save([_entry(ACME)], T0)
    first = Usage("acme", T0, active_users=30, seats=40, feature_adoption=0.5, plan_usage=0.25)
    later = Usage("acme", T0 + timedelta(days=1), active_users=35)
    await store.customers.record_usage(first)
    await store.customers.record_usage(later)
    assert await store.customers.usage("acme") == [later, first]
    assert await store.customers.usage("acme", limit=1) == [later]
    with pytest.raises(AccountNotFoundError):
        await store.customers.record_usage(Usage("nobody", T0))


async def test_linking_two_new_identities_makes_one_person_and_audits_it(store: Stores) -> None:
    person = await store.links.link("slack:U1", "discord:11", "slack:U1", T0)
    assert (person.account, person.identities) == (None, ("discord:11", "slack:U1"))
    assert await store.links.person_of("discord:11") == person
    [event] = await store.links.history(["discord:11"])
    assert (event.action, event.identity, event.other, event.actor, event.person) == (
        "linked",
        "slack:U1",
        "discord:11",
        "slack:U1",
        person.id,
    )
    again = await store.links.link("discord:11", "slack:U1", "slack:U1", T0)
    assert again == person and len(await store.links.history(["slack:U1"])) == 1


async def test_linking_joins_an_account_person_and_a_loose_one_into_the_account(store: Stores) -> None:
    await store.customers.save([_entry(ACME, ("Ada", ("slack:U1",)))], T0)
    loose = await store.links.link("discord:11", "github:ada", "discord:mod", T0)
    joined = await store.links.link("discord:11", "slack:U1", "discord:mod", T0 + timedelta(minutes=1))
    assert (joined.name, joined.account, joined.identities) == ("Ada", "acme", ("discord:11", "github:ada", "slack:U1"))
    assert joined.id != loose.id
    assert [p.identities for p in await store.customers.people("acme")] == [joined.identities]


async def test_people_of_two_accounts_are_never_joined(store: Stores) -> None:
    await store.customers.save([_entry(ACME, ("Ada", ("slack:U1",))), _entry(GLOBEX, ("Gil", ("slack:U2",)))], T0)
    with pytest.raises(LinkRefusedError, match=r"'acme'.*'globex'"):
        await store.links.link("slack:U1", "slack:U2", "slack:mod", T0)
    assert (await store.links.person_of("slack:U2")).account == "globex"  # type: ignore[union-attr]
    assert await store.links.history(["slack:U1", "slack:U2"]) == []


async def test_unlinking_gives_the_identity_a_person_of_its_own_outside_the_account(store: Stores) -> None:
    await store.customers.save([_entry(ACME, ("Ada", ("slack:U1", "discord:11")))], T0)
    alone = await store.links.unlink("discord:11", "slack:mod", T0)
    assert (alone.account, alone.identities) == (None, ("discord:11",))
    assert (await store.links.person_of("slack:U1")).identities == ("slack:U1",)  # type: ignore[union-attr]
    assert [e.action for e in await store.links.history(["discord:11"])] == ["unlinked"]
    with pytest.raises(NotLinkedError):
        await store.links.unlink("discord:11", "slack:mod", T0)
    with pytest.raises(NotLinkedError):
        await store.links.unlink("github:nobody", "slack:mod", T0)


async def test_a_code_is_redeemed_once_and_never_after_it_expires(store: Stores) -> None:
    code = LinkCode(token_hash("ABCDE"), "slack:U1", T0, T0 + timedelta(minutes=10))
    late = LinkCode(token_hash("LATE"), "slack:U1", T0, T0 + timedelta(minutes=10))
    await store.links.issue_code(code)
    await store.links.issue_code(late)
    used = await store.links.redeem_code(code.code_hash, T0 + timedelta(minutes=1))
    assert used is not None and (used.identity, used.used_at) == ("slack:U1", T0 + timedelta(minutes=1))
    assert await store.links.redeem_code(code.code_hash, T0 + timedelta(minutes=2)) is None
    assert await store.links.redeem_code(late.code_hash, T0 + timedelta(minutes=10)) is None
    assert await store.links.redeem_code(token_hash("GUESS"), T0) is None
    assert await store.links.codes_since(["slack:U1", "discord:11"], T0) == 2
    assert await store.links.codes_since(["slack:U1"], T0 + timedelta(seconds=1)) == 0


async def test_wrong_codes_are_counted_per_identity_and_window(store: Stores) -> None:
    await store.links.record_failure("discord:11", T0)
    await store.links.record_failure("discord:11", T0 + timedelta(minutes=5))
    await store.links.record_failure("slack:U9", T0 + timedelta(minutes=5))
    assert await store.links.failures_since(["discord:11"], T0) == 2
    assert await store.links.failures_since(["discord:11", "slack:U9"], T0 + timedelta(minutes=1)) == 2
    assert await store.links.failures_since(["github:x"], T0) == 0
