"""Running the GitHub bot inside ``helpline serve``: the webhook route, the job worker and the notifier."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING

from bots.github.app import QUEUE, GitHubBot
from bots.github.client import DEFAULT_API_URL, ClientOptions, GitHubApi, credentials, make_github
from bots.github.notifier import EscalationLabeller, GitHubNotifier
from bots.github.webhook import status_route, webhook_route
from bots.github.worker import JobWorker
from core.messages import GITHUB

if TYPE_CHECKING:
    from datetime import datetime

    from sqlalchemy.ext.asyncio import AsyncEngine
    from starlette.routing import BaseRoute

    from config.settings import GitHubSettings
    from core.desk.pipeline import SupportDesk
    from core.jobs import JobQueue
    from core.notify import RoutingNotifier
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


class GitHubRunner:
    """Owns the GitHub bot's parts; ``routes`` go into the HTTP app, ``start`` runs the worker."""

    def __init__(
        self,
        desk: SupportDesk,
        queue: JobQueue,
        settings: GitHubSettings,
        env: Mapping[str, str],
        clock: Clock,
        notifier: RoutingNotifier,
    ) -> None:
        auth = credentials(env)
        api = None
        if auth is not None:
            api = GitHubApi(
                make_github(auth, client_options(settings, env)),
                clock,
                permission_ttl=settings.permission_cache_seconds,
            )
        else:
            log.warning("GITHUB_TOKEN is not set: the GitHub bot keeps tickets in step but cannot label or comment")
        self.bot = GitHubBot(desk, queue, settings, api)
        self.worker = JobWorker(queue, QUEUE, self.bot, clock, max_attempts=settings.max_attempts)
        notifier.add(GITHUB, GitHubNotifier(self.bot))
        notifier.observe(EscalationLabeller(self.bot))
        secret = env.get("GITHUB_WEBHOOK_SECRET", "").strip()
        self.routes: list[BaseRoute] = [
            webhook_route(secret, queue, clock, self.worker.wake),
            status_route(queue, lambda: self._pause(clock)),
        ]
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def _pause(self, clock: Clock) -> datetime | None:
        until = self.bot.api.blocked_until if self.bot.api is not None else None
        return until if until is not None and until > clock.now() else None

    def start(self) -> None:
        """Drain the job queue in the background (jobs left by a previous run come first)."""
        self._task = asyncio.create_task(self.worker.run_forever(self._stop), name="helpline-github")

    async def close(self) -> None:
        """Stop the worker after the job in hand; unfinished jobs stay queued for the next start."""
        self._stop.set()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._task


def github_runner(
    desk: SupportDesk,
    engine: AsyncEngine | None,
    settings: GitHubSettings,
    env: Mapping[str, str],
    clock: Clock,
    notifier: RoutingNotifier,
) -> GitHubRunner:
    """The runner with its job queue in the ticket store's database (the same engine, the same file)."""
    from core.store.job_queue import SqlJobQueue

    if engine is None:
        raise RuntimeError("the GitHub bot keeps its jobs in the ticket database, but the store has no engine")
    return GitHubRunner(desk, SqlJobQueue(engine), settings, env, clock, notifier)
