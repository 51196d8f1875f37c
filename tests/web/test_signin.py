"""Signing in: the password form's answers and limits, one-time links, sessions, and the dashboard switched off."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta

from starlette.applications import Starlette
from starlette.testclient import TestClient

from bots.web.mount import mount_dashboard
from bots.web.sessions import COOKIE, SECRET_ENV
from core.staff.records import Identity, StaffRole
from tests.desk_fakes import make_harness
from tests.web.gate_world import PASSWORD, gate_world
from tests.web_fakes import dashboard_deps

MO = Identity("slack", "U0MO", "Mo", frozenset({"moderator"}))
_TOKEN = re.compile(r'name="csrf_token" value="[^"]+"')


def test_an_unknown_name_and_a_wrong_password_get_the_same_answer() -> None:
    world = gate_world()
    world.add_account("ana")
    unknown = world.sign_in("nobody", PASSWORD)
    wrong = world.sign_in("ana", "not the password")
    assert unknown.status_code == wrong.status_code == 400
    assert "do not match an account" in wrong.text
    same = [_TOKEN.sub("", r.text).replace('value="nobody"', 'value="ana"') for r in (unknown, wrong)]
    assert same[0] == same[1]
    assert COOKIE not in world.client.cookies


def test_a_link_only_account_cannot_sign_in_with_a_password() -> None:
    world = gate_world()
    world.add_account("slack:U0MO", password=None)
    assert world.sign_in("slack:U0MO", "no account has this password").status_code == 400


def test_a_password_longer_than_any_account_can_have_is_wrong_whatever_it_starts_with() -> None:
    world = gate_world()
    world.add_account("ana", password="p" * 1024)
    assert world.sign_in("ana", "p" * 1025).status_code == 400
    assert world.sign_in("ana", "p" * 1024).status_code == 303


def test_a_disabled_account_is_refused_even_with_its_password() -> None:
    world = gate_world()
    world.add_account("ana", disabled=True)
    response = world.sign_in("ana")
    assert response.status_code == 403
    assert "This account is disabled" in response.text
    assert COOKIE not in world.client.cookies


def test_disabling_an_account_ends_its_sessions() -> None:
    world = gate_world()
    world.add_account("ana")
    world.sign_in("ana")
    assert world.client.get("/dashboard/").headers["location"] == "/dashboard/queue"
    asyncio.run(world.staff.set_disabled("ana", True, world.harness.clock.now()))
    assert world.client.get("/dashboard/").headers["location"].startswith("/dashboard/login?next=")


def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes() -> None:
    world = gate_world()
    world.add_account("ana")
    for _ in range(5):
        assert world.sign_in("ana", "guess").status_code == 400
    locked = world.sign_in("ana", PASSWORD)
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.text and locked.headers["retry-after"] == "900"
    assert COOKIE not in world.client.cookies

    world.harness.clock.advance(timedelta(minutes=15, seconds=1))
    assert world.sign_in("ana", PASSWORD).headers["location"] == "/dashboard/"
    world.client.post("/dashboard/logout", data={"csrf_token": world.csrf()})
    assert world.sign_in("ana", "guess").status_code == 400  # a success wiped the account's count


def test_twenty_failures_from_one_address_lock_it_for_every_account() -> None:
    world = gate_world()
    for name in ("a1", "a2", "a3", "a4", "a5", "bea"):
        world.add_account(name)
    for name in ("a1", "a2", "a3", "a4", "a5"):
        for _ in range(4):  # under each account's limit
            assert world.sign_in(name, "guess").status_code == 400
    assert world.sign_in("bea", PASSWORD).status_code == 429


def test_every_sign_in_starts_a_new_session_token() -> None:
    world = gate_world()
    world.add_account("ana")
    first = world.sign_in("ana").headers["set-cookie"]
    second = world.sign_in("ana").headers["set-cookie"]  # signed in already: a new token all the same
    assert first.startswith(f"{COOKIE}=") and second.startswith(f"{COOKIE}=") and first != second
    assert len(world.sessions.by_hash) == 2


def test_a_sign_in_link_shows_whom_it_signs_in_as_and_only_its_post_uses_it() -> None:
    world = gate_world()
    link = world.issue_link(MO)
    for _ in range(2):  # a link preview, then the person: GETs do not use it
        shown = world.client.get(link)
        assert shown.status_code == 200
        assert "Sign in as Mo" in shown.text and "slack:U0MO" in shown.text
    token = world.form_token(link)
    signed = world.client.post(link, data={"csrf_token": token})
    assert signed.status_code == 303 and signed.headers["location"] == "/dashboard/"
    account = world.staff.by_name["slack:U0MO"]
    assert account.role is StaffRole.AGENT and account.identity == MO and account.password_hash is None
    assert world.client.get("/dashboard/").headers["location"] == "/dashboard/queue"

    again = world.client.post(link, data={"csrf_token": token})
    assert again.status_code == 410 and "has been used already" in again.text
    assert world.client.get(link).status_code == 410


def test_a_link_post_without_its_form_token_does_not_use_the_link() -> None:
    world = gate_world()
    link = world.issue_link(MO)
    assert world.client.post(link, data={}).headers["location"] == link
    assert world.client.get(link).status_code == 200


def test_an_expired_or_unknown_link_says_so() -> None:
    world = gate_world()
    link = world.issue_link(MO)
    world.harness.clock.advance(timedelta(minutes=10))
    expired = world.client.get(link)
    assert expired.status_code == 410 and "has expired" in expired.text
    unknown = world.client.get("/dashboard/login/not-a-token")
    assert unknown.status_code == 400 and "not a sign-in link we know" in unknown.text


def test_a_link_signs_in_to_the_existing_account_of_that_identity_with_its_role() -> None:
    world = gate_world()
    world.add_account("mo-lead", StaffRole.LEAD, identity=MO)
    link = world.issue_link(MO)
    world.client.post(link, data={"csrf_token": world.form_token(link)})
    assert world.client.get("/dashboard/").headers["location"] == "/dashboard/overview"
    assert sorted(world.staff.by_name) == ["mo-lead"]


def test_without_a_secret_the_dashboard_answers_503_naming_the_variable() -> None:
    harness = make_harness()
    deps = dashboard_deps(harness, None)
    for environ, says in (({}, f"set {SECRET_ENV}"), ({SECRET_ENV: "short"}, "at least 32 characters")):
        mount = mount_dashboard(
            lambda gate: deps, environ, sessions=deps.sessions, clock=harness.clock, public_url="http://x"
        )
        assert not mount.on and says in mount.status
        client = TestClient(Starlette(routes=mount.routes))
        for path in ("/dashboard", "/dashboard/", "/dashboard/login", "/dashboard/queue?status=open"):
            response = client.get(path)
            assert response.status_code == 503
            assert SECRET_ENV in response.text
        assert client.post("/dashboard/login").status_code == 503
