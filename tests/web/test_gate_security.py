"""The real gate holds: no session, a forged cookie, a POST without its CSRF token, an agent on a lead page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

import pytest
from itsdangerous import Signer
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Mount, Route

from bots.web.deps import Viewer
from bots.web.guard import guarded
from bots.web.render import NAV
from bots.web.sessions import COOKIE
from core.staff.records import StaffRole
from core.staff.tokens import new_token
from tests.web.gate_world import SECRET, Answer, GateWorld, gate_world

PUBLIC = "/dashboard/login"  # the sign-in pages are the only ones open without a session
LEAD_PATHS = tuple(item.path for item in NAV if item.lead)


def dashboard_endpoints(routes: list[BaseRoute]) -> Iterator[tuple[str, str]]:
    """(method, path) of every route under /dashboard, path parameters filled with ``1``."""
    for route in routes:
        if isinstance(route, Mount) and route.path == "/dashboard":
            for inner in route.routes:
                if isinstance(inner, Route):
                    path = re.sub(r"\{[^}]+\}", "1", "/dashboard" + inner.path)
                    for method in sorted((inner.methods or set()) - {"HEAD"}):
                        yield method, path


def endpoints(world: GateWorld) -> list[tuple[str, str]]:
    """The app's own routes, as the client's app has them."""
    routes: list[BaseRoute] = world.client.app.routes  # type: ignore[attr-defined]
    return list(dashboard_endpoints(routes))


def session_cookie(world: GateWorld) -> str:
    """The session cookie the client holds."""
    value = world.client.cookies.get(COOKIE)
    assert value, "not signed in"
    return value


def home_with(world: GateWorld, cookie: str) -> Answer:
    """GET the dashboard's home page carrying only ``cookie`` as the session cookie."""
    world.client.cookies.clear()
    return world.client.get("/dashboard/", headers={"Cookie": f"{COOKIE}={cookie}"})


def test_every_dashboard_page_sends_you_to_sign_in_without_a_session() -> None:
    world = gate_world()
    guarded_routes = [(m, p) for m, p in endpoints(world) if not p.startswith(PUBLIC)]
    assert ("GET", "/dashboard/") in guarded_routes and ("POST", "/dashboard/logout") in guarded_routes
    for method, path in guarded_routes:
        response = world.client.request(method, path)
        assert response.status_code == 303, (method, path)
        assert response.headers["location"].startswith("/dashboard/login?next="), (method, path)


def test_a_forged_tampered_or_ended_session_cookie_is_no_session() -> None:
    world = gate_world()
    world.add_account("ana")
    assert world.sign_in("ana").status_code == 303
    good = session_cookie(world)
    token, signature = good.rsplit(".", 1)
    flipped = signature[:-1] + ("A" if signature[-1] != "A" else "B")
    forged = {
        "tampered signature": f"{token}.{flipped}",
        "another token, same signature": f"{new_token()}.{signature}",
        "no signature": token,
        "signed with another secret": Signer("x" * 40, salt="helpline.dashboard.session").sign(token).decode(),
        "a signed token of no session": Signer(SECRET, salt="helpline.dashboard.session").sign(new_token()).decode(),
        "empty": "",
    }
    for case, cookie in forged.items():
        response = home_with(world, cookie)
        assert response.headers["location"].startswith("/dashboard/login?next="), case
    assert home_with(world, good).headers["location"] == "/dashboard/queue"

    world.harness.clock.advance(timedelta(hours=12))  # sessions last 12 hours
    assert home_with(world, good).headers["location"].startswith("/dashboard/login?next=")


def test_a_signed_out_session_cookie_no_longer_signs_in() -> None:
    world = gate_world()
    world.add_account("ana")
    world.sign_in("ana")
    cookie = session_cookie(world)
    signed_out = world.client.post("/dashboard/logout", data={"csrf_token": world.csrf()})
    assert signed_out.status_code == 303 and signed_out.headers["location"] == "/dashboard/login"
    assert f'{COOKIE}=""' in signed_out.headers["set-cookie"] and "Max-Age=0" in signed_out.headers["set-cookie"]
    assert home_with(world, cookie).headers["location"].startswith("/dashboard/login?next=")


def test_a_post_without_its_csrf_token_is_refused() -> None:
    world = gate_world()
    world.add_account("ana")
    world.sign_in("ana")
    for data in ({}, {"csrf_token": ""}, {"csrf_token": new_token()}):
        refused = world.client.post("/dashboard/logout", data=data)
        assert refused.status_code == 403
        assert "did not come from this dashboard" in refused.text
    assert world.client.get("/dashboard/").headers["location"] == "/dashboard/queue"  # still signed in
    accepted = world.client.post("/dashboard/logout", headers={"X-CSRF-Token": world.csrf()})
    assert accepted.status_code == 303


def test_the_sign_in_form_refuses_a_post_without_its_own_token() -> None:
    world = gate_world()
    world.add_account("ana")
    world.form_token()  # the form's cookie is set, but the token is not sent back
    data = {"username": "ana", "password": "a long enough password", "next": "/dashboard/"}
    for token in ("", "forged", Signer(SECRET).sign("nonce").decode()):
        response = world.client.post("/dashboard/login", data={**data, "csrf_token": token})
        assert response.status_code == 400
        assert "form expired" in response.text
    assert COOKIE not in world.client.cookies


def test_an_agent_cannot_reach_lead_pages_and_does_not_see_them_in_the_navigation() -> None:
    world = gate_world()

    async def probe(request: Request, viewer: Viewer) -> Response:
        return PlainTextResponse("the lead's numbers")

    world.client.app.router.routes.insert(  # type: ignore[attr-defined]
        0, Route("/dashboard/lead-probe", guarded(world.deps, probe, lead=True))
    )
    lead_pages = [p for m, p in endpoints(world) if m == "GET" and p.startswith(LEAD_PATHS)]
    world.add_account("ana", StaffRole.AGENT)
    world.add_account("lee", StaffRole.LEAD)

    world.sign_in("ana")
    for path in ["/dashboard/lead-probe", *lead_pages]:
        refused = world.client.get(path)
        assert refused.status_code == 403, path
        assert "This page is for leads" in refused.text
    agent_nav = world.client.get("/dashboard/login").text
    assert 'href="/dashboard/queue"' in agent_nav
    assert not any(f'href="{path}"' in agent_nav for path in LEAD_PATHS)

    world.client.post("/dashboard/logout", data={"csrf_token": world.csrf()})
    world.sign_in("lee")
    assert world.client.get("/dashboard/lead-probe").text == "the lead's numbers"
    for path in lead_pages:
        assert world.client.get(path).status_code == 200, path
    assert all(f'href="{path}"' in world.client.get("/dashboard/login").text for path in LEAD_PATHS)


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/dashboard/",
        "//evil.example/dashboard/",
        "/\\evil.example/",
        "javascript:alert(1)",
        "/dashboardevil",
        "/dashboard/../healthz",
        "/dashboard/\r\nSet-Cookie: x=1",
        "/dashboard/%2e%2e/healthz",
        "/dashboard/%5c%5cevil.example",
        "\t/dashboard/",
        "",
    ],
)
def test_next_never_leaves_the_dashboard(target: str) -> None:
    world = gate_world()
    world.add_account("ana")
    assert 'name="next" value="/dashboard/"' in world.client.get("/dashboard/login", params={"next": target}).text
    response = world.sign_in("ana", next=target)
    assert response.status_code == 303
    assert response.headers["location"] == "/dashboard/"


def test_next_brings_you_back_to_the_dashboard_page_you_asked_for() -> None:
    world = gate_world()
    world.add_account("ana")
    asked = world.client.get("/dashboard/", params={"view": "mine"})
    assert asked.headers["location"] == "/dashboard/login?next=%2Fdashboard%2F%3Fview%3Dmine"
    assert world.sign_in("ana", next="/dashboard/?view=mine").headers["location"] == "/dashboard/?view=mine"


def test_the_session_cookie_is_http_only_same_site_lax_and_secure_on_https() -> None:
    plain = gate_world()
    plain.add_account("ana")
    cookie = plain.sign_in("ana").headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE}=")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/dashboard" in cookie
    assert "Max-Age=43200" in cookie and "Secure" not in cookie

    https = gate_world(public_url="https://help.example.com")
    https.add_account("ana")
    cookie = https.sign_in("ana").headers["set-cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert https.client.get("/dashboard/").headers["location"] == "/dashboard/queue"
