"""How the core's job drain runs the GitHub queue: rate limits waited out, hopeless calls given up, nothing lost."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Protocol

from bots.github.client import GitHubCallError
from core.job_drain import DrainPolicy, GiveUp

if TYPE_CHECKING:
    from core.job_drain import Handler
    from core.jobs import Job

LEASE = timedelta(minutes=5)  # a job taken by a worker that died is tried again after this
FIRST_BACKOFF = timedelta(seconds=30)
LAST_BACKOFF = timedelta(hours=1)
KEEP_DONE = timedelta(days=7)  # GitHub lets you redeliver for a few days; done jobs are kept past that


def policy(max_attempts: int) -> DrainPolicy:
    """The GitHub queue's policy; ``max_attempts`` is ``github.max_attempts`` (rate limits do not count)."""
    return DrainPolicy(
        label="GitHub job",
        lease=LEASE,
        first_backoff=FIRST_BACKOFF,
        last_backoff=LAST_BACKOFF,
        max_attempts=max_attempts,
        keep_done=KEEP_DONE,
        # A GitHub answer or an unreachable GitHub says it all; anything else needs its traceback.
        quiet=(GitHubCallError,),
        logger="helpline.github",
        # The actions queued for an issue (a comment, then closing it) carry no conversation: one at a time.
        most_at_once=1,
    )


class JobRunner(Protocol):
    """Does one job (``GitHubBot.run``)."""

    async def run(self, job: Job) -> None:
        """Do it; raise ``Deferred`` (a ``Postpone``) to wait, anything else to retry."""
        ...


def job_handler(runner: JobRunner) -> Handler:
    """The drain's handler: ``runner``'s permanent GitHub errors and unreadable jobs are given up at once."""

    async def handle(job: Job) -> None:
        """Run the job; trying again cannot help a permanent error or a payload that is not a job."""
        try:
            await runner.run(job)
        except GitHubCallError as exc:
            if exc.permanent:
                raise GiveUp(f"{type(exc).__name__}: {exc}") from exc
            raise
        except ValueError as exc:
            raise GiveUp(f"{type(exc).__name__}: {exc}") from exc

    return handle
