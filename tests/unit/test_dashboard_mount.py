"""What ``helpline serve`` does with the dashboard: on behind the gate with a secret, else a 503 page saying why."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.testclient import TestClient

from bots.bootstrap import System, mount_for
from bots.web.sessions import SECRET_ENV
from config.settings import DEFAULT_TIERS_FILE, Settings
from config.tiers import load_tiers
from core.clock import ManualClock
from core.desk.context import Moderators
from tests.desk_fakes import START, RecordingNotifier, fake_system
from tests.fakes import memory_stores

SECRET = "serve-tests-dashboard-secret-0123456789"
URL = "http://127.0.0.1:8080"


def desk() -> System:
    """The system as ``bootstrap`` composes it, on fakes."""
    return fake_system(
        Settings(),
        tiers=load_tiers(DEFAULT_TIERS_FILE),
        stores=memory_stores(),
        notifier=RecordingNotifier(),
        clock=ManualClock(START),
        moderators=Moderators(frozenset({"moderator"})),
    )


def test_with_a_secret_the_dashboard_is_on_behind_the_sign_in() -> None:
    mount = mount_for(desk(), Settings(), {SECRET_ENV: SECRET}, public_url=URL)
    assert mount.on and mount.status == f"dashboard on at {URL}/dashboard/"
    client = TestClient(Starlette(routes=mount.routes), follow_redirects=False)
    assert client.get("/dashboard/").headers["location"] == "/dashboard/login?next=%2Fdashboard%2F"
    assert client.get("/dashboard/login").status_code == 200


def test_without_a_secret_serve_says_which_variable_to_set_and_the_pages_say_it_too() -> None:
    mount = mount_for(desk(), Settings(), {}, public_url=URL)
    assert not mount.on
    assert mount.status == f"dashboard off: set {SECRET_ENV} (a random string of at least 32 characters)"
    response = TestClient(Starlette(routes=mount.routes)).get("/dashboard/login")
    assert response.status_code == 503 and SECRET_ENV in response.text
