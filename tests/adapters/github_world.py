"""The GitHub bot assembled as ``helpline serve`` does, on SQLite, with PyGithub pointed at a fake GitHub.

Deliveries are real recorded payloads, signed and posted to the real starlette app; the job worker is
run a pass at a time so each test decides when "later" is.
"""

from __future__ import annotations

import copy
import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from bots.adapters import AdapterContext, adapter_status
from bots.cli.roles import ALL
from bots.github.runner import GitHubRunner
from bots.github.translate import sign
from bots.http.app import create_app
from bots.registry import ADAPTERS
from config.requests_config import RequestSettings
from config.routing_config import RoutingSettings
from config.settings import DEFAULT_TIERS_FILE, GitHubSettings, Settings
from config.tiers import load_tiers
from core.clock import ManualClock
from core.desk.context import Moderators
from core.desk.pipeline import SupportDesk
from core.jobs import JobQueue
from core.messages import CONSOLE, DISCORD, Address, Author, CommandText, Reply
from core.notify import RoutingNotifier
from core.sla.worker import EscalationWorker
from core.store.engine import create_engine_for, sqlite_url
from core.store.migrate import upgrade_schema
from core.store.sql_store import sql_stores
from core.stores import Stores
from core.tickets.records import Ticket
from core.tiers import TierDirectory
from tests.adapters.github_fake import FakeGitHub
from tests.desk_fakes import START, RecordingNotifier, fake_system

PAYLOADS = Path(__file__).resolve().parent / "payloads" / "github"
SECRET = "It's a Secret to Everybody"
REPO = "Codertocat/Hello-World"
ISSUE = Address("github", "Codertocat", "Hello-World", "1")
SETTINGS = GitHubSettings(seconds_between_requests=0, seconds_between_writes=0, bot_login="helpline-bot[bot]")


def payload(name: str) -> dict[str, Any]:
    """A recorded payload, e.g. ``issues.opened``, as a fresh dict to change."""
    data: dict[str, Any] = json.loads((PAYLOADS / f"{name}.payload.json").read_text("utf-8"))
    return copy.deepcopy(data)


def opened(title: str | None = None, body: str | None = None) -> dict[str, Any]:
    """``issues.opened`` with another title or body."""
    data = payload("issues.opened")
    if title is not None:
        data["issue"]["title"] = title
    if body is not None:
        data["issue"]["body"] = body
    return data


def closed() -> dict[str, Any]:
    """``issues.closed``: the recorded ``reopened`` delivery with the action and state of a closing."""
    data = payload("issues.reopened")
    data["action"], data["issue"]["state"] = "closed", "closed"
    return data


def comment(body: str, login: str = "Codertocat", comment_id: int = 492700400) -> dict[str, Any]:
    """``issue_comment.created`` by ``login`` saying ``body``."""
    data = payload("issue_comment.created")
    data["comment"]["body"], data["comment"]["id"] = body, comment_id
    data["comment"]["user"]["login"] = data["sender"]["login"] = login
    return data


@dataclass
class World:
    """The running GitHub bot and what a test looks at."""

    http: httpx.AsyncClient
    fake: FakeGitHub
    engine: AsyncEngine
    store: Stores
    queue: JobQueue
    runner: GitHubRunner
    desk: SupportDesk
    clock: ManualClock
    console: RecordingNotifier
    worker: EscalationWorker  # the system's escalation worker, run a pass at a time by the test
    db: Path
    sent: list[str] = field(default_factory=list)

    async def deliver(
        self,
        event: str,
        data: dict[str, Any] | bytes,
        *,
        delivery: str | None = None,
        signature: str | None = None,
        sign_with: str = SECRET,
    ) -> httpx.Response:
        """Post a delivery as GitHub does: signed, with event and delivery headers."""
        body = data if isinstance(data, bytes) else json.dumps(data).encode("utf-8")
        delivery = delivery or str(uuid.uuid4())
        self.sent.append(delivery)
        headers = {
            "X-GitHub-Event": event,
            "X-GitHub-Delivery": delivery,
            "X-Hub-Signature-256": signature if signature is not None else sign(sign_with, body),
            "Content-Type": "application/json",
            "User-Agent": "GitHub-Hookshot/test",
        }
        return await self.http.post("/github/webhook", content=body, headers=headers)

    async def drain(self) -> int:
        """One pass of the job worker; how many jobs it ran."""
        return await self.runner.jobs.run_once()

    async def ticket(self) -> Ticket | None:
        """The latest ticket of issue #1."""
        return await self.store.tickets.latest_ticket_for(ISSUE)

    async def moderator(self, text: str) -> Reply:
        """Run a moderator command from Discord (the staff side) and return its reply."""
        message = CommandText(Address(DISCORD, "g1", "staff"), Author("mo", "Mo", frozenset({"moderator"})), text)
        [reply] = await self.desk.handle(message)
        return reply

    async def close(self) -> None:
        """Stop everything the world started."""
        await self.http.aclose()
        await self.fake.stop()
        await self.engine.dispose()


async def make_world(
    db: Path,
    *,
    tiers: TierDirectory | None = None,
    clock: ManualClock | None = None,
    secret: str = SECRET,
    token: str = "ghp_test",
    settings: GitHubSettings = SETTINGS,
    fake: FakeGitHub | None = None,
    extra_env: dict[str, str] | None = None,
    requests: RequestSettings | None = None,
    routing: RoutingSettings | None = None,
) -> World:
    """The bot on the SQLite file ``db`` (reuse the file to simulate a restart)."""
    fake = fake or FakeGitHub()
    if not fake.url:
        await fake.start()
    engine = create_engine_for(sqlite_url(db))
    await upgrade_schema(engine)
    store = sql_stores(engine)
    clock = clock or ManualClock(START)
    console = RecordingNotifier()
    notifier = RoutingNotifier({CONSOLE: console})
    tiers = tiers or load_tiers(DEFAULT_TIERS_FILE)
    system = fake_system(
        Settings(github=settings, requests=requests or RequestSettings(), routing=routing or RoutingSettings()),
        tiers=tiers,
        stores=store,
        notifier=notifier,
        clock=clock,
        moderators=Moderators(),
    )
    env = {"GITHUB_WEBHOOK_SECRET": secret, "GITHUB_TOKEN": token, "GITHUB_API_URL": fake.url, **(extra_env or {})}
    context = AdapterContext(system.desk, Settings(github=settings), env, ALL, system.drains(), notifier, clock)
    runner = GitHubRunner(context)  # built even without a secret, which then refuses every delivery
    notifier.add(runner.name, runner.notifier)
    app = create_app(system.worker, clock, adapter_status(env, ADAPTERS), interval=60, routes=runner.routes())
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://helpline.test")
    return World(http, fake, engine, store, store.jobs, runner, system.desk, clock, console, system.worker, db)
