"""The GitHub API as the bot uses it: PyGithub, always in a worker thread, never sleeping for minutes.

PyGithub blocks, and its default retry waits out rate limits by sleeping inside the call. Here
its retry only covers connection hiccups; a rate limit comes back at once as ``RateLimited`` with
the time GitHub names, and the job that made the call is rescheduled for then.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import quote

from github import Auth, Github, GithubException
from urllib3.util.retry import Retry

from core.ports import Clock

if TYPE_CHECKING:
    from github.Repository import Repository

log = logging.getLogger("helpline.github")

DEFAULT_API_URL = "https://api.github.com"
# GitHub's advice for a secondary limit that names no time: wait at least a minute.
SECONDARY_WAIT = timedelta(seconds=60)
# Roles (GitHub's role_name) that may run moderator commands, and those whose comments answer the customer.
TRIAGE_ROLES = frozenset({"triage", "write", "maintain", "admin"})
WRITE_ROLES = frozenset({"write", "maintain", "admin"})
MAX_CACHED_ROLES = 10_000

_T = TypeVar("_T")


class RateLimited(Exception):
    """GitHub asked us to wait until ``retry_at`` (a primary or secondary rate limit)."""

    def __init__(self, retry_at: datetime, why: str) -> None:
        super().__init__(f"rate limited until {retry_at:%H:%M:%S} UTC: {why}")
        self.retry_at = retry_at


class GitHubCallError(Exception):
    """A call that failed; ``permanent`` when trying again cannot help (not found, forbidden, invalid)."""

    def __init__(self, message: str, *, permanent: bool) -> None:
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True)
class ClientOptions:
    """How to reach GitHub and how patiently."""

    base_url: str = DEFAULT_API_URL
    timeout: int = 10
    seconds_between_requests: float = 0.25
    seconds_between_writes: float = 1.0


def bounded_retry() -> Retry:
    """Retry connection errors and idempotent 5xx briefly; never wait on Retry-After inside the call."""
    return Retry(
        total=3,
        connect=3,
        read=1,
        status=1,
        other=0,
        status_forcelist=(502, 503, 504),
        allowed_methods=frozenset({"GET", "HEAD"}),
        backoff_factor=0.5,
        backoff_max=4.0,
        respect_retry_after_header=False,
        raise_on_status=False,
    )


def credentials(env: Mapping[str, str]) -> Auth.Auth | None:
    """``GITHUB_TOKEN``, else a GitHub App installation (``GITHUB_APP_ID``, ``_PRIVATE_KEY``, ``_INSTALLATION_ID``)."""
    token = env.get("GITHUB_TOKEN", "").strip()
    if token:
        return Auth.Token(token)
    app_id, key = env.get("GITHUB_APP_ID", "").strip(), env.get("GITHUB_APP_PRIVATE_KEY", "").strip()
    installation = env.get("GITHUB_APP_INSTALLATION_ID", "").strip()
    if app_id.isdigit() and installation.isdigit() and "PRIVATE KEY" in key:
        return Auth.AppAuth(int(app_id), key.replace("\\n", "\n")).get_installation_auth(int(installation))
    if app_id or installation or key:  # a half-configured app is a mistake worth naming
        wrong = [
            name
            for name, ok in (
                ("GITHUB_APP_ID", app_id.isdigit()),
                ("GITHUB_APP_INSTALLATION_ID", installation.isdigit()),
                ("GITHUB_APP_PRIVATE_KEY", "PRIVATE KEY" in key),
            )
            if not ok
        ]
        log.error(
            "GitHub App not used: %s missing or malformed (ids are numbers, the key is PEM text)", ", ".join(wrong)
        )
    return None


def make_github(auth: Auth.Auth, options: ClientOptions) -> Github:
    """A lazy PyGithub client (objects are built from URLs, not fetched) with the bounded retry."""
    return Github(
        base_url=options.base_url.rstrip("/"),
        auth=auth,
        timeout=options.timeout,
        retry=bounded_retry(),
        seconds_between_requests=options.seconds_between_requests or None,
        seconds_between_writes=options.seconds_between_writes or None,
        lazy=True,
    )


def path_segment(value: str) -> str:
    """``value`` as one segment of an API path: every reserved character escaped, never ``.`` or ``..``."""
    # PyGithub puts names into its URLs as they are, and a ".." segment would be resolved away (even
    # escaped: requests unescapes dots), sending the call to another path. GitHub never names anything so.
    if value in ("", ".", ".."):
        raise GitHubCallError(f"{value!r} cannot be part of a GitHub API path", permanent=True)
    return quote(value, safe="")


def rate_limit_end(status: int, headers: Mapping[str, str], message: str, now: datetime) -> datetime | None:
    """When a 403/429 answer lets us call again; None if it is not a rate limit."""
    if status not in (403, 429):
        return None
    headers = {key.lower(): value for key, value in headers.items()}
    retry_after = headers.get("retry-after", "").strip()
    if retry_after.isdigit():  # at least a second, so "Retry-After: 0" cannot make a busy loop
        return now + timedelta(seconds=max(1, int(retry_after)))
    reset = headers.get("x-ratelimit-reset", "").strip()
    if headers.get("x-ratelimit-remaining", "").strip() == "0" and reset.isdigit():
        return max(now, datetime.fromtimestamp(int(reset), UTC)) + timedelta(seconds=1)
    if "rate limit" in message.lower() or status == 429:
        return now + SECONDARY_WAIT
    return None


class GitHubApi:
    """The calls the bot makes, each in a worker thread; permissions are cached for a short while."""

    def __init__(self, github: Github, clock: Clock, *, permission_ttl: float = 300.0) -> None:
        self._github = github
        self._clock = clock
        self._ttl = permission_ttl
        self._roles: dict[tuple[str, str], tuple[str, float]] = {}
        # Until GitHub's rate limit ends no call is made at all: GitHub may block integrations that keep trying.
        self.blocked_until: datetime | None = None

    def _repo(self, repo: str) -> Repository:
        """The repository ``owner/name``, each segment escaped, so no name can step out of its path."""
        return self._github.get_repo("/".join(path_segment(part) for part in repo.split("/", 1)))

    async def add_labels(self, repo: str, number: int, labels: list[str]) -> None:
        """Add labels to an issue (GitHub creates missing ones)."""
        await self._call(lambda: self._repo(repo).get_issue(number).add_to_labels(*labels))

    async def remove_label(self, repo: str, number: int, label: str) -> None:
        """Remove a label from an issue; one it does not have is not an error."""
        await self._call(lambda: self._remove_label_now(repo, number, label))

    def _remove_label_now(self, repo: str, number: int, label: str) -> None:
        try:
            self._repo(repo).get_issue(number).remove_from_labels(label)
        except GithubException as exc:
            if exc.status != 404:  # 404: the label was not on the issue (someone took it off already)
                raise

    async def comment(self, repo: str, number: int, body: str) -> int:
        """Comment on an issue; the new comment's id."""
        return await self._call(lambda: self._repo(repo).get_issue(number).create_comment(body).id)

    async def close(self, repo: str, number: int) -> None:
        """Close an issue as completed."""
        await self._call(lambda: self._repo(repo).get_issue(number).edit(state="closed", state_reason="completed"))

    async def reopen(self, repo: str, number: int) -> None:
        """Reopen a closed issue."""
        await self._call(lambda: self._repo(repo).get_issue(number).edit(state="open"))

    async def react(self, repo: str, number: int, comment_id: int, content: str = "+1") -> None:
        """React to a comment on an issue, the quiet way of saying "done"."""
        await self._call(lambda: self._repo(repo).get_issue(number).get_comment(comment_id).create_reaction(content))

    async def plus_ones(self, repo: str, number: int) -> list[str]:
        """The logins of the people (not bots) whose 👍 is on the issue itself, oldest first."""
        return await self._call(lambda: self._plus_ones_now(repo, number))

    def _plus_ones_now(self, repo: str, number: int) -> list[str]:
        reactions = self._repo(repo).get_issue(number).get_reactions()
        return [r.user.login for r in reactions if r.content == "+1" and r.user is not None and r.user.type != "Bot"]

    async def open_issue(self, repo: str, title: str, body: str, label: str) -> tuple[int, str]:
        """Open an issue with ``label``; its number and the URL people see it at."""

        def work() -> tuple[int, str]:
            issue = self._repo(repo).create_issue(title=title, body=body, labels=[label])
            return issue.number, issue.html_url

        return await self._call(work)

    async def find_issue(self, repo: str, label: str, marker: str, most: int = 300) -> tuple[int, str] | None:
        """The newest of the first ``most`` issues labelled ``label`` whose body holds ``marker``; None if none."""

        def work() -> tuple[int, str] | None:
            for n, issue in enumerate(self._repo(repo).get_issues(state="all", labels=[label])):
                if n >= most:
                    break
                if marker in (issue.body or ""):
                    return issue.number, issue.html_url
            return None

        return await self._call(work)

    async def role(self, repo: str, login: str) -> str:
        """``login``'s role on ``repo`` (admin, maintain, write, triage, read or none), cached briefly."""
        key = (repo.lower(), login.lower())
        cached = self._roles.get(key)
        if cached is not None and time.monotonic() < cached[1]:
            return cached[0]
        role = await self._call(lambda: self._role_now(repo, login))
        if len(self._roles) >= MAX_CACHED_ROLES:  # drop what has expired, so the cache cannot grow forever
            self._roles = {k: v for k, v in self._roles.items() if v[1] > time.monotonic()}
        self._roles[key] = (role, time.monotonic() + self._ttl)
        return role

    def _role_now(self, repo: str, login: str) -> str:
        try:
            # PyGithub escapes the login but keeps "/": escaped here first, a login cannot leave its segment.
            return self._repo(repo).get_collaborator_role_name(path_segment(login)) or "none"
        except GithubException as exc:
            if exc.status == 404:  # not a user GitHub knows, or not visible to us: no rights
                return "none"
            raise

    async def _call(self, work: Callable[[], _T]) -> _T:
        blocked = self.blocked_until
        if blocked is not None and self._clock.now() < blocked:
            raise RateLimited(blocked, "waiting for GitHub's rate limit to end")
        try:
            return await asyncio.to_thread(work)
        except GithubException as exc:
            error = self._translate(exc)
            if isinstance(error, RateLimited):
                self.blocked_until = error.retry_at
            raise error from exc
        except OSError as exc:  # requests' connection errors and timeouts are OSErrors
            raise GitHubCallError(f"cannot reach GitHub: {exc}", permanent=False) from exc

    def _translate(self, exc: GithubException) -> Exception:
        message = exc.message or (exc.data.get("message", "") if isinstance(exc.data, dict) else "") or ""
        retry_at = rate_limit_end(exc.status, exc.headers or {}, str(message), self._clock.now())
        if retry_at is not None:
            return RateLimited(retry_at, f"{exc.status} {message}".strip())
        permanent = 400 <= exc.status < 500 and exc.status not in (408, 409)
        return GitHubCallError(f"GitHub answered {exc.status}: {message or 'no message'}", permanent=permanent)
