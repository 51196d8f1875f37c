"""Running the GitHub bot inside ``helpline serve``: the webhook route, the job drain and the notifier."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING

from bots.adapters import AdapterContext, AdapterSpec
from bots.github.app import QUEUE, GitHubBot
from bots.github.client import DEFAULT_API_URL, ClientOptions, GitHubApi, credentials, make_github
from bots.github.notifier import EscalationLabeller, GitHubNotifier
from bots.github.webhook import status_route, webhook_route
from bots.github.worker import job_handler, policy
from core.messages import GITHUB

if TYPE_CHECKING:
    from datetime import datetime

    from starlette.routing import BaseRoute

    from config.settings import GitHubSettings
    from core.jobs import Job
    from core.ports import Clock

log = logging.getLogger("helpline.github")


def client_options(settings: GitHubSettings, env: Mapping[str, str]) -> ClientOptions:
    """How to reach GitHub: ``GITHUB_API_URL`` (GitHub Enterprise, tests) and the settings' patience."""
    return ClientOptions(
        base_url=env.get("GITHUB_API_URL", "").strip() or DEFAULT_API_URL,
        timeout=settings.timeout,
        seconds_between_requests=settings.seconds_between_requests,
        seconds_between_writes=settings.seconds_between_writes,
    )


def _api(settings: GitHubSettings, env: Mapping[str, str], clock: Clock) -> GitHubApi | None:
    auth = credentials(env)
    if auth is None:
        log.warning("GITHUB_TOKEN is not set: the GitHub bot keeps tickets in step but cannot label or comment")
        return None
    return GitHubApi(
        make_github(auth, client_options(settings, env)), clock, permission_ttl=settings.permission_cache_seconds
    )


class GitHubRunner:
    """The GitHub plug-in of ``helpline serve``: the bot, its job drain, its routes and its notifier."""

    name = GITHUB

    def __init__(self, context: AdapterContext) -> None:
        settings, env = context.settings.github, context.env
        self._clock = context.clock
        self._listen = context.plan.web  # the drain needs the model: it runs where events are received
        self.jobs = context.drains(QUEUE, self._run, policy(settings.max_attempts))
        self.bot = GitHubBot(context.desk, self.jobs, settings, _api(settings, env, context.clock))
        self.notifier = GitHubNotifier(self.bot)
        context.notifier.observe(EscalationLabeller(self.bot))
        self._handle = job_handler(self.bot)
        secret = env.get("GITHUB_WEBHOOK_SECRET", "").strip()
        self._routes: list[BaseRoute] = [webhook_route(secret, self.jobs), status_route(self.jobs, self._pause)]
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def _run(self, job: Job) -> None:
        await self._handle(job)

    def _pause(self) -> datetime | None:
        until = self.bot.api.blocked_until if self.bot.api is not None else None
        return until if until is not None and until > self._clock.now() else None

    def routes(self) -> list[BaseRoute]:
        """``/github/webhook`` and ``/github/status``."""
        return self._routes

    async def start(self) -> None:
        """Drain the job queue in the background (jobs left by a previous run come first); web processes only."""
        if self._listen:
            self._task = asyncio.create_task(self.jobs.run_forever(self._stop), name="helpline-github")

    async def close(self) -> None:
        """Stop the drain after the job in hand; unfinished jobs stay queued for the next start."""
        self._stop.set()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._task


ADAPTER = AdapterSpec(
    GITHUB,
    ("GITHUB_WEBHOOK_SECRET",),
    available=True,
    optional=(("GITHUB_TOKEN", "to label, comment and check permissions"),),
    build=GitHubRunner,
)
