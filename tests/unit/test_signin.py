"""``login``: a moderator's one-time dashboard link, given privately, redeemable once within ten minutes."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta

import pytest

from config.server_config import ServerSettings
from config.settings import Settings
from core.messages import Address, Author, CommandText, Destination, ReplyKind
from core.staff.records import Identity, StaffAccount, StaffRole
from core.staff.tokens import token_hash
from tests.console_world import ConsoleWorld
from tests.desk_fakes import START, make_harness
from tests.staff_fakes import InMemoryStaffAccounts

pytestmark = pytest.mark.asyncio

_LINK = re.compile(r"(https?://\S+)/dashboard/login/([A-Za-z0-9_-]{43})\b")


def _link_in(text: str) -> tuple[str, str]:
    found = _LINK.search(text)
    assert found is not None, text
    return found.group(1), found.group(2)


async def test_a_moderator_gets_a_private_link_that_signs_in_once_as_themselves() -> None:
    h = make_harness()
    reply = await h.mod("login")
    assert (reply.kind, reply.destination) == (ReplyKind.INFO, Destination.DIRECT)
    base, token = _link_in(reply.text)
    assert base == "http://127.0.0.1:8080" and "within 10 minutes" in reply.text
    staff = h.store.staff
    assert isinstance(staff, InMemoryStaffAccounts) and token not in str(staff.links)  # kept as its hash only
    used = await staff.redeem_link(token_hash(token), START + timedelta(minutes=9))
    assert used is not None
    assert used.identity == Identity("discord", "mo", "Mo", frozenset({"moderator"}))
    assert used.expires_at == START + timedelta(minutes=10)
    assert await staff.redeem_link(token_hash(token), START + timedelta(minutes=9)) is None


async def test_each_link_is_new_and_an_unused_one_expires_after_ten_minutes() -> None:
    h = make_harness()
    _, first = _link_in((await h.mod("login")).text)
    _, second = _link_in((await h.mod("/login")).text)
    assert first != second
    assert await h.store.staff.redeem_link(token_hash(first), START + timedelta(minutes=10)) is None
    assert await h.store.staff.redeem_link(token_hash(second), START + timedelta(minutes=5)) is not None


async def test_the_link_starts_with_the_configured_public_url() -> None:
    settings = Settings(server=ServerSettings(public_url="https://help.example.com/support/"))
    h = make_harness(settings=settings)
    base, _ = _link_in((await h.mod("login")).text)
    assert base == "https://help.example.com/support"


async def test_someone_without_a_moderator_role_gets_no_link() -> None:
    h = make_harness()
    [reply] = await h.say("login", command=True)
    assert reply.kind is ReplyKind.ERROR and "Only moderators" in reply.text
    staff = h.store.staff
    assert isinstance(staff, InMemoryStaffAccounts) and staff.links == {}


async def test_no_link_where_the_answer_is_public_or_the_account_is_disabled() -> None:
    h = make_harness()
    on_github = CommandText(
        Address("github", "acme/app", "issue", "7"), Author("mo", "mo", frozenset({"moderator"})), "login"
    )
    [reply] = await h.desk.handle(on_github)
    assert reply.kind is ReplyKind.ERROR and "only given where nobody else can read it" in reply.text
    assert _LINK.search(reply.text) is None
    mo = Identity("discord", "mo", "Mo", frozenset({"moderator"}))
    await h.store.staff.add(StaffAccount("discord:mo", StaffRole.AGENT, mo, START, disabled=True))
    refused = await h.mod("login")
    assert refused.kind is ReplyKind.ERROR and "disabled" in refused.text and _LINK.search(refused.text) is None
    staff = h.store.staff
    assert isinstance(staff, InMemoryStaffAccounts) and staff.links == {}


async def test_help_lists_login_for_moderators_only() -> None:
    h = make_harness()
    assert "login — a link that signs you in to the dashboard" in (await h.mod("help")).text
    [public] = await h.say("help", command=True)
    assert "login" not in public.text


async def test_the_console_prints_the_link_for_a_moderator_and_refuses_anyone_else() -> None:
    world = ConsoleWorld(moderator=True)
    shown = await asyncio.to_thread(world.talk, ["/login"])
    base, token = _link_in(shown)
    assert base == "http://127.0.0.1:8080" and "only you can see it" in shown
    used = await world.stores.staff.redeem_link(token_hash(token), START)
    assert used is not None and (used.identity.platform, used.identity.user_id) == ("console", "ana")
    other = ConsoleWorld()
    refused = await asyncio.to_thread(other.talk, ["/login"])
    assert "Only moderators" in refused and _LINK.search(refused) is None
