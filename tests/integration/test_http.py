"""``/healthz`` of ``helpline serve``, over a real escalation worker on the in-memory store."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from bots.adapters import AdapterStatus
from bots.http.app import create_app
from config.settings import DEFAULT_TIERS_FILE
from config.tiers import load_tiers
from core.clock import ManualClock
from core.sla.records import DueWork
from core.sla.worker import EscalationWorker
from tests.desk_fakes import RecordingNotifier
from tests.fakes import memory_stores
from tests.sla_fakes import InMemorySlaTimers
from tests.store_state import MemoryState

START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
INTERVAL = 60.0
ADAPTERS = (
    AdapterStatus("discord", False, "DISCORD_TOKEN not set"),
    AdapterStatus("slack", True, "credentials found"),
)


class BreakableTimers(InMemorySlaTimers):
    """The in-memory timers, whose due-work query can be made to fail like a lost database."""

    def __init__(self, state: MemoryState) -> None:
        super().__init__(state)
        self.broken = False
        self.stop = asyncio.Event()

    async def claim_due(self, now: datetime, limit: int, owner: str, lease: timedelta) -> list[DueWork]:
        """Fail when broken (and tell the worker to stop after this pass), else answer normally."""
        if self.broken:
            self.stop.set()
            raise ConnectionError("database is locked")
        return await super().claim_due(now, limit, owner, lease)


@dataclass
class Server:
    """The app's parts a test pokes at."""

    worker: EscalationWorker
    timers: BreakableTimers
    clock: ManualClock

    def client(self) -> TestClient:
        """A client for the app as ``helpline serve`` builds it."""

        async def hello(request: Request) -> PlainTextResponse:
            return PlainTextResponse("hello")

        app = create_app(self.worker, self.clock, ADAPTERS, interval=INTERVAL, routes=[Route("/hello", hello)])
        return TestClient(app)


def make_server() -> Server:
    """A real escalation worker over fakes, with a clock the test moves."""
    state, clock = MemoryState(), ManualClock(START)
    timers = BreakableTimers(state)
    stores = replace(memory_stores(state=state), timers=timers)
    worker = EscalationWorker(stores, load_tiers(DEFAULT_TIERS_FILE), RecordingNotifier(), clock)
    return Server(worker, timers, clock)


def test_degraded_before_the_worker_has_made_a_pass() -> None:
    server = make_server()
    with server.client() as client:
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "degraded"
    assert body["escalation_worker"] == {"runs_here": True, "last_pass": None, "last_error": None}


def test_ok_after_a_pass_listing_every_adapter_and_why() -> None:
    server = make_server()
    asyncio.run(server.worker.run_once())
    server.clock.advance(timedelta(seconds=INTERVAL))
    with server.client() as client:
        response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["escalation_worker"] == {"runs_here": True, "last_pass": START.isoformat(), "last_error": None}
    assert body["adapters"] == {
        "discord": {"on": False, "reason": "DISCORD_TOKEN not set"},
        "slack": {"on": True, "reason": "credentials found"},
    }


def test_degraded_when_the_worker_has_stalled() -> None:
    server = make_server()
    asyncio.run(server.worker.run_once())
    server.clock.advance(timedelta(hours=1))  # far past three intervals without a pass
    with server.client() as client:
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "degraded"
    assert response.json()["escalation_worker"]["last_pass"] == START.isoformat()


def test_a_new_pass_after_a_stall_makes_it_healthy_again() -> None:
    server = make_server()
    asyncio.run(server.worker.run_once())
    server.clock.advance(timedelta(hours=1))
    asyncio.run(server.worker.run_once())
    with server.client() as client:
        assert client.get("/healthz").status_code == 200


def test_degraded_with_the_error_when_the_last_pass_failed() -> None:
    server = make_server()
    asyncio.run(server.worker.run_once())
    server.timers.broken = True
    asyncio.run(server.worker.run_forever(INTERVAL, server.timers.stop))  # one failing pass, then stops
    with server.client() as client:
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["escalation_worker"]["last_error"] == "database is locked"


def test_unknown_paths_are_404_and_extra_routes_are_served() -> None:
    server = make_server()
    with server.client() as client:
        assert client.get("/nope").status_code == 404
        assert client.get("/hello").text == "hello"
        assert client.post("/healthz").status_code == 405


def test_a_web_only_process_is_healthy_without_a_worker_of_its_own() -> None:
    clock = ManualClock(START)
    app = create_app(None, clock, ADAPTERS, interval=INTERVAL)
    with TestClient(app) as client:
        first = client.get("/healthz")
        clock.advance(timedelta(days=1))  # no pass ever: a worker process's business, not this one's
        later = client.get("/healthz")
    for response in (first, later):
        assert response.status_code == 200
        assert response.json()["status"] == "ok"
        assert response.json()["escalation_worker"] == {"runs_here": False}
