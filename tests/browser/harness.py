"""The dashboard served for a real browser: the real app, gate and Slack adapter on a desk of fakes, on a free port.

``Dashboard`` runs everything on one event loop in a background thread: the fake Slack Web API, the real Slack
adapter (its events route and its notifier, so a reply from the dashboard reaches the customer through the fake
Slack), and uvicorn serving ``create_app`` with the dashboard mounted as ``helpline serve`` mounts it. Tests act
on it from their own thread through ``call`` (a coroutine run on the server's loop).
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
from collections.abc import Coroutine
from datetime import timedelta
from pathlib import Path
from typing import Any, TypeVar

import httpx
import uvicorn
from argon2 import PasswordHasher
from selenium.webdriver.chrome.webdriver import WebDriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from bots.adapters import AdapterContext, AdapterStatus
from bots.bootstrap import mount_for
from bots.cli.roles import ALL
from bots.http.app import create_app
from bots.slack import runner as slack_adapter
from bots.slack.runner import SlackRunner
from config.settings import Settings
from core.clock import ManualClock
from core.desk.context import Moderators
from core.knowledge.gaps import GapFinder
from core.messages import SLACK
from core.notify import RoutingNotifier
from core.staff.records import DASHBOARD, Identity, SignInLink, StaffAccount, StaffRole
from core.staff.tokens import new_token, token_hash
from core.stores import Stores
from tests.adapters.slack_fake import BOT_TOKEN, SIGNING_SECRET, FakeSlack, signature_headers
from tests.adapters.slack_world import ANA, STAFF, connect_message, settings, tiers
from tests.desk_fakes import START, fake_system
from tests.fakes import HashingEmbedder, memory_stores
from tests.gap_fakes import ThresholdClusterer
from tests.staff_fakes import InMemoryStaffAccounts, InMemoryStaffSessions

T = TypeVar("T")

SECRET = "browser-tests-dashboard-secret-0123456789"  # HELPLINE_DASHBOARD_SECRET for the served app
PASSWORD = "correct horse battery staple"  # every account ``add_account`` makes has it
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
WAIT = 10.0  # seconds a browser step may take before the test fails


def free_port() -> int:
    """A loopback port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Dashboard:
    """``create_app`` with the dashboard and the Slack adapter, served by uvicorn on 127.0.0.1 in a thread."""

    def __init__(self, *, public_url: str | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.public_url = public_url or self.url
        self.clock = ManualClock(START)
        self.store: Stores = memory_stores()
        # The chat ``login`` command issues its links into these same fakes.
        assert isinstance(self.store.staff, InMemoryStaffAccounts)
        assert isinstance(self.store.sessions, InMemoryStaffSessions)
        self.staff, self.sessions = self.store.staff, self.store.sessions
        self.slack = FakeSlack(staff=[STAFF], names={STAFF: "Mo", ANA: "Ana", "U0ACMEBOB": "Bob Stone"})
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="dashboard", daemon=True)
        self._server: uvicorn.Server | None = None
        self._served: asyncio.Future[None] | None = None
        self._runner: SlackRunner | None = None
        self._events = 0

    def __enter__(self) -> Dashboard:
        self._thread.start()
        self.call(self._start())
        return self

    def __exit__(self, *exc: object) -> None:
        self.call(self._stop())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(WAIT)
        self._loop.close()

    def call(self, work: Coroutine[Any, Any, T]) -> T:
        """Run a coroutine on the server's loop (where the stores live) and return its result."""
        return asyncio.run_coroutine_threadsafe(work, self._loop).result(WAIT * 3)

    async def _start(self) -> None:
        await self.slack.start()
        notifier = RoutingNotifier({})
        config: Settings = settings()
        system = fake_system(
            config,
            tiers=tiers(),
            stores=self.store,
            notifier=notifier,
            clock=self.clock,
            moderators=Moderators(frozenset({"moderator", "support"})),
        )
        system.gaps = GapFinder(self.store.gaps, HashingEmbedder(), ThresholdClusterer(0.3), None, 0.45)
        env = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_API_URL": self.slack.api_url}
        env["SLACK_SIGNING_SECRET"] = SIGNING_SECRET
        context = AdapterContext(system.desk, config, env, ALL, system.drains(), notifier, self.clock)
        self._runner = runner = slack_adapter.build(context)
        notifier.add(runner.name, runner.notifier)
        await runner.start()

        environ = {"HELPLINE_DASHBOARD_SECRET": SECRET}
        mount = mount_for(system, config, environ, public_url=self.public_url)  # as ``serve`` does
        assert mount.on, mount.status
        app = create_app(
            system.worker,
            self.clock,
            [AdapterStatus(SLACK, True, "test")],
            interval=60,
            routes=[*runner.routes(), *mount.routes],
        )
        config_ = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off")
        self._server = uvicorn.Server(config_)
        self._served = asyncio.ensure_future(self._server.serve())
        for _ in range(200):
            if self._server.started:
                return
            if self._served.done():
                self._served.result()
            await asyncio.sleep(0.025)
        raise RuntimeError(f"the dashboard did not start on port {self.port}")

    async def _stop(self) -> None:
        if self._server is not None and self._served is not None:
            self._server.should_exit = True
            await self._served
        if self._runner is not None:
            await self._runner.close()
        await self.slack.close()

    def add_account(self, name: str, role: StaffRole = StaffRole.AGENT, *, password: str = PASSWORD) -> StaffAccount:
        """A password account acting as ``dashboard:NAME`` with the moderator role (as ``helpline staff add``)."""
        identity = Identity(DASHBOARD, name, name, frozenset({"moderator"}))
        account = StaffAccount(name, role, identity, self.clock.now(), password_hash=PasswordHasher().hash(password))
        self.call(self.staff.add(account))
        return account

    def issue_link(self, identity: Identity, *, lasts: timedelta = timedelta(minutes=10)) -> str:
        """A one-time sign-in link for ``identity`` (as a moderator's chat ``login`` issues it): its URL."""
        token, now = new_token(), self.clock.now()
        self.call(self.staff.issue_link(SignInLink(token_hash(token), identity, now, now + lasts)))
        return f"{self.url}/dashboard/login/{token}"

    def customer_says(self, text: str) -> str:
        """A Slack Connect customer writes in the shared support channel (a signed event); the thread's ts."""
        self._events += 1
        envelope = connect_message(text, event_id=f"Ev07BROWSER{self._events:04d}")
        event = envelope["event"]
        event["ts"] = event["event_ts"] = f"{1764400000 + self._events}.000100"
        event["client_msg_id"] = f"2e3f4a5b-6c7d-4e8f-9a0b-{self._events:012d}"
        self.call(self._deliver(envelope))
        return str(envelope["event"]["ts"])

    async def _deliver(self, envelope: dict[str, Any]) -> None:
        body = json.dumps(envelope).encode()
        headers = {"Content-Type": "application/json", **signature_headers(body)}
        async with httpx.AsyncClient(base_url=self.url) as client:
            response = await client.post("/slack/events", content=body, headers=headers)
        assert response.status_code == 200, response.text
        assert self._runner is not None
        await self._runner.bot.idle()

    def settle(self) -> None:
        """Wait until the Slack adapter has handled (and posted) everything it accepted."""
        assert self._runner is not None
        self.call(self._runner.bot.idle())

    def posts(self, channel: str | None = None) -> list[dict[str, Any]]:
        """What the bot posted to the fake Slack (``chat.postMessage``), oldest first."""
        self.settle()
        return self.slack.posts(channel)


def sign_in(driver: WebDriver, dashboard: Dashboard, role: StaffRole = StaffRole.AGENT) -> StaffAccount:
    """Make an account of ``role`` and sign in through the real form; its account (named after the role)."""
    account = dashboard.add_account(role.value, role)
    driver.get(f"{dashboard.url}/dashboard/login")
    driver.find_element(By.ID, "username").send_keys(account.name)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "form[action='/dashboard/login'] button[type=submit]").click()
    wait_for(driver, lambda: "/dashboard/login" not in driver.current_url)
    return account


def wait_for(driver: WebDriver, ready: Any, timeout: float = WAIT) -> None:
    """Wait until ``ready()`` is true (a page loaded, an element changed)."""
    WebDriverWait(driver, timeout).until(lambda _: ready())


def screenshot(driver: WebDriver, name: str) -> Path:
    """Save what the browser shows as docs/screenshots/NAME.png (the README shows them)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    assert driver.save_screenshot(str(path)), f"could not save {path}"
    return path
