"""Contract tests for the staff ports (accounts with sign-in links, sessions with failed sign-ins).

They run on the in-memory fakes, on SQLite and on PostgreSQL through the ``store`` fixture.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from core.staff.ports import StaffExistsError, StaffNotFoundError
from core.staff.records import Identity, SignInLink, StaffAccount, StaffRole, StaffSession
from core.staff.tokens import new_token, token_hash
from core.stores import Stores

pytestmark = pytest.mark.asyncio

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ANA = StaffAccount(
    "ana", StaffRole.LEAD, Identity("dashboard", "ana", "ana", frozenset({"moderator"})), T0, "$argon2id$ana"
)
# A sign-in link's account: named by its actor, no password, roles as the platform gave them (one with a comma).
BOB_ID = Identity("discord", "4242", "Bob Ø", frozenset({"Support, EU", "moderator"}))
BOB = StaffAccount("discord:4242", StaffRole.AGENT, BOB_ID, T0 + timedelta(hours=1))


def _session(account: StaffAccount, token: str = "", minutes: int = 60) -> StaffSession:
    return StaffSession(
        token_hash(token or new_token()),
        account.name,
        account.role,
        account.identity,
        csrf_token=new_token(),
        created_at=T0,
        expires_at=T0 + timedelta(minutes=minutes),
    )


def _link(token: str, minutes: int = 10) -> SignInLink:
    return SignInLink(token_hash(token), BOB_ID, T0, T0 + timedelta(minutes=minutes))


async def test_accounts_are_kept_by_name_and_by_identity(store: Stores) -> None:
    await store.staff.add(BOB)
    await store.staff.add(ANA)
    assert await store.staff.get("ana") == ANA
    assert await store.staff.get("discord:4242") == BOB
    assert await store.staff.get("nobody") is None
    assert await store.staff.for_identity("discord", "4242") == BOB
    assert await store.staff.for_identity("slack", "4242") is None
    assert [a.name for a in await store.staff.accounts()] == ["ana", "discord:4242"]


async def test_a_taken_name_or_identity_is_refused_and_the_first_account_stays(store: Stores) -> None:
    await store.staff.add(ANA)
    with pytest.raises(StaffExistsError, match="'ana'"):
        await store.staff.add(replace(ANA, role=StaffRole.AGENT, identity=BOB_ID))
    with pytest.raises(StaffExistsError, match="dashboard:ana"):
        await store.staff.add(replace(ANA, name="ana2"))
    assert await store.staff.accounts() == [ANA]


async def test_disabling_ends_every_session_and_enabling_does_not_bring_them_back(store: Stores) -> None:
    await store.staff.add(ANA)
    await store.staff.add(BOB)
    mine, again, bobs = _session(ANA), _session(ANA), _session(BOB)
    for session in (mine, again, bobs):
        await store.sessions.start(session)
    assert await store.sessions.get(mine.token_hash, T0) == mine
    disabled = await store.staff.set_disabled("ana", True, T0 + timedelta(minutes=1))
    assert disabled == replace(ANA, disabled=True) == await store.staff.get("ana")
    assert await store.sessions.get(mine.token_hash, T0 + timedelta(minutes=2)) is None
    assert await store.sessions.get(again.token_hash, T0 + timedelta(minutes=2)) is None
    assert await store.sessions.get(bobs.token_hash, T0 + timedelta(minutes=2)) == bobs
    enabled = await store.staff.set_disabled("ana", False, T0 + timedelta(minutes=3))
    assert not enabled.disabled
    assert await store.sessions.get(mine.token_hash, T0 + timedelta(minutes=4)) is None
    with pytest.raises(StaffNotFoundError, match="'nobody'"):
        await store.staff.set_disabled("nobody", True, T0)


async def test_a_new_password_replaces_the_old_hash(store: Stores) -> None:
    await store.staff.add(ANA)
    await store.staff.set_password("ana", "$argon2id$new")
    changed = await store.staff.get("ana")
    assert changed is not None and changed.password_hash == "$argon2id$new"
    with pytest.raises(StaffNotFoundError, match="'nobody'"):
        await store.staff.set_password("nobody", "$argon2id$x")


async def test_a_sign_in_link_is_redeemed_once_before_it_expires(store: Stores) -> None:
    token, stale = new_token(), new_token()
    await store.staff.issue_link(_link(token))
    await store.staff.issue_link(_link(stale, minutes=5))
    used = await store.staff.redeem_link(token_hash(token), T0 + timedelta(minutes=9))
    assert used == replace(_link(token), used_at=T0 + timedelta(minutes=9))
    assert used is not None and used.identity.roles == frozenset({"Support, EU", "moderator"})
    assert await store.staff.redeem_link(token_hash(token), T0 + timedelta(minutes=9)) is None
    assert await store.staff.redeem_link(token_hash(stale), T0 + timedelta(minutes=5)) is None
    assert await store.staff.redeem_link(token_hash(new_token()), T0) is None
    assert await store.staff.redeem_link(token, T0) is None  # the clear token is not what the store knows


async def test_two_racing_redemptions_of_one_link_get_it_once(store: Stores) -> None:
    tokens = [new_token() for _ in range(5)]
    for token in tokens:
        await store.staff.issue_link(_link(token))
    at = T0 + timedelta(minutes=1)
    for token in tokens:
        won = await asyncio.gather(*(store.staff.redeem_link(token_hash(token), at) for _ in range(3)))
        assert sum(link is not None for link in won) == 1


async def test_a_session_lives_until_it_expires_or_is_revoked(store: Stores) -> None:
    await store.staff.add(ANA)
    session = _session(ANA, minutes=30)
    await store.sessions.start(session)
    assert await store.sessions.get(session.token_hash, T0 + timedelta(minutes=29)) == session
    assert await store.sessions.get(session.token_hash, T0 + timedelta(minutes=30)) is None
    assert await store.sessions.get(token_hash(new_token()), T0) is None
    await store.sessions.revoke(session.token_hash, T0 + timedelta(minutes=1))
    assert await store.sessions.get(session.token_hash, T0 + timedelta(minutes=2)) is None
    await store.sessions.revoke(token_hash(new_token()), T0)  # unknown: ignored


async def test_a_session_without_its_account_is_not_live(store: Stores) -> None:
    orphan = _session(BOB)
    await store.sessions.start(orphan)
    assert await store.sessions.get(orphan.token_hash, T0) is None


async def test_revoking_all_of_an_accounts_sessions_counts_the_live_ones(store: Stores) -> None:
    await store.staff.add(ANA)
    await store.staff.add(BOB)
    short, long, gone = _session(ANA, minutes=5), _session(ANA), _session(ANA)
    for session in (short, long, gone, _session(BOB)):
        await store.sessions.start(session)
    await store.sessions.revoke(gone.token_hash, T0)
    assert await store.sessions.revoke_all("ana", T0 + timedelta(minutes=10)) == 1  # only ``long`` was live
    assert await store.sessions.get(long.token_hash, T0 + timedelta(minutes=11)) is None
    assert await store.sessions.revoke_all("ana", T0 + timedelta(minutes=12)) == 0
    assert await store.sessions.revoke_all("nobody", T0) == 0


async def test_failed_sign_ins_are_counted_per_key_since_a_moment_and_cleared(store: Stores) -> None:
    keys = ("account:ana", "address:192.0.2.7")
    for minutes in (0, 5, 10):
        await store.sessions.record_failure(keys, T0 + timedelta(minutes=minutes))
    await store.sessions.record_failure((), T0)
    assert await store.sessions.failures_since("account:ana", T0 + timedelta(minutes=5)) == 2
    assert await store.sessions.failures_since("address:192.0.2.7", T0) == 3
    await store.sessions.clear_failures("account:ana")
    assert await store.sessions.failures_since("account:ana", T0) == 0
    assert await store.sessions.failures_since("address:192.0.2.7", T0) == 3
    assert await store.sessions.failures_since("account:nobody", T0) == 0


async def test_a_sign_in_link_can_be_read_without_using_it(store: Stores) -> None:
    token = new_token()
    await store.staff.issue_link(_link(token))
    assert await store.staff.link(token_hash(token)) == _link(token)
    assert await store.staff.link(token_hash(token)) == _link(token)  # reading it twice leaves it unused
    await store.staff.redeem_link(token_hash(token), T0 + timedelta(minutes=1))
    assert await store.staff.link(token_hash(token)) == replace(_link(token), used_at=T0 + timedelta(minutes=1))
    assert await store.staff.link(token_hash(new_token())) is None
