"""A local fake of the GitHub REST API that PyGithub is pointed at: it records every call and keeps issue state.

Every object it returns carries ``url`` fields pointing back at this server, as PyGithub follows them.
Failures (a rate limit, a 502) can be queued for the next matching call.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

_ISSUE = re.compile(r"^/repos/([^/]+)/([^/]+)/issues/(\d+)$")
_LABELS = re.compile(r"^/repos/([^/]+)/([^/]+)/issues/(\d+)/labels$")
_LABEL = re.compile(r"^/repos/([^/]+)/([^/]+)/issues/(\d+)/labels/([^/]+)$")
_COMMENTS = re.compile(r"^/repos/([^/]+)/([^/]+)/issues/(\d+)/comments$")
_REACTIONS = re.compile(r"^/repos/([^/]+)/([^/]+)/issues/comments/(\d+)/reactions$")
_ISSUE_REACTIONS = re.compile(r"^/repos/([^/]+)/([^/]+)/issues/(\d+)/reactions$")
_ISSUES = re.compile(r"^/repos/([^/]+)/([^/]+)/issues$")
_ACCESS_TOKEN = re.compile(r"^/app/installations/(\d+)/access_tokens$")
_PERMISSION = re.compile(r"^/repos/([^/]+)/([^/]+)/collaborators/([^/]+)/permission$")


@dataclass(frozen=True)
class Call:
    """One request the fake received."""

    method: str
    path: str
    body: Any
    authorization: str
    raw_path: str = ""  # as sent, still escaped (``path`` is decoded)


@dataclass
class Failure:
    """An answer to give instead of the real one, once, to the next call matching ``method`` and ``path``."""

    method: str
    path: re.Pattern[str]
    status: int
    headers: dict[str, str]
    message: str


@dataclass
class IssueState:
    """What the fake knows about one issue."""

    labels: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    state: str = "open"
    plus_ones: list[str] = field(default_factory=list)  # the logins whose 👍 is on the issue, oldest first
    title: str = ""
    body: str = ""


class FakeGitHub:
    """The fake API server on 127.0.0.1 and a free port."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.issues: dict[tuple[str, int], IssueState] = {}
        self.roles: dict[str, str] = {}  # login -> role_name; anyone else is "read"
        self.reactions: list[tuple[int, str]] = []
        self._failures: list[Failure] = []
        self._runner: web.AppRunner | None = None
        self.url = ""
        self._next_id = 1000

    async def start(self) -> str:
        """Listen on a free port; returns the base URL."""
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
        self.url = f"http://127.0.0.1:{port}"
        return self.url

    async def stop(self) -> None:
        """Shut the server down."""
        if self._runner is not None:
            await self._runner.cleanup()

    def fail_next(
        self, method: str, path: str, status: int, message: str, headers: dict[str, str] | None = None
    ) -> None:
        """Answer the next ``method`` call whose path matches the regex ``path`` with this error."""
        self._failures.append(Failure(method, re.compile(path), status, headers or {}, message))

    def issue(self, repo: str, number: int) -> IssueState:
        """The state of an issue (created empty on first use)."""
        return self.issues.setdefault((repo, number), IssueState())

    def writes(self) -> list[Call]:
        """Calls that change something (not GETs)."""
        return [call for call in self.calls if call.method != "GET"]

    async def _handle(self, request: web.Request) -> web.Response:
        body = await request.json() if request.can_read_body else None
        authorization = request.headers.get("Authorization", "")
        self.calls.append(Call(request.method, request.path, body, authorization, request.raw_path))
        for failure in self._failures:
            if failure.method == request.method and failure.path.search(request.path):
                self._failures.remove(failure)
                return web.json_response({"message": failure.message}, status=failure.status, headers=failure.headers)
        if (m := _ISSUES.match(request.path)) and request.method == "GET":  # the repository's issues, newest first
            return web.json_response(self._listed(f"{m.group(1)}/{m.group(2)}", request.query.get("labels", "")))
        answer = self._answer(request.method, request.path, body)
        if answer is None:
            return web.json_response({"message": "Not Found"}, status=404)
        status, data = answer
        return web.json_response(data, status=status)

    def _answer(self, method: str, path: str, body: Any) -> tuple[int, Any] | None:
        if (m := _ACCESS_TOKEN.match(path)) and method == "POST":
            return 201, {"token": f"ghs_installation_{m.group(1)}", "expires_at": "2099-01-01T00:00:00Z"}
        if (m := _PERMISSION.match(path)) and method == "GET":
            role = self.roles.get(m.group(3), "read")
            permission = {"maintain": "write", "triage": "read"}.get(role, role)
            user = {"login": m.group(3), "url": f"{self.url}/users/{m.group(3)}"}
            return 200, {"permission": permission, "role_name": role, "user": user}
        if (m := _LABELS.match(path)) and method == "POST":
            state = self.issue(f"{m.group(1)}/{m.group(2)}", int(m.group(3)))
            names = body["labels"] if isinstance(body, dict) else body  # PyGithub posts a bare list
            state.labels += [name for name in names if name not in state.labels]
            return 200, [
                {"name": name, "url": f"{self.url}/repos/{m.group(1)}/{m.group(2)}/labels/{name}"}
                for name in state.labels
            ]
        if (m := _LABEL.match(path)) and method == "DELETE":
            state = self.issue(f"{m.group(1)}/{m.group(2)}", int(m.group(3)))
            name = urllib.parse.unquote(m.group(4))
            if name not in state.labels:
                return 404, {"message": "Label does not exist"}
            state.labels.remove(name)
            return 200, [{"name": n, "url": f"{self.url}/labels/{n}"} for n in state.labels]
        if (m := _COMMENTS.match(path)) and method == "POST":
            self.issue(f"{m.group(1)}/{m.group(2)}", int(m.group(3))).comments.append(body["body"])
            self._next_id += 1
            url = f"{self.url}/repos/{m.group(1)}/{m.group(2)}/issues/comments/{self._next_id}"
            return 201, {"id": self._next_id, "url": url, "body": body["body"], "issue_url": self._issue_url(m)}
        if (m := _ISSUE.match(path)) and method == "PATCH":
            state = self.issue(f"{m.group(1)}/{m.group(2)}", int(m.group(3)))
            state.state = body.get("state", state.state)
            return 200, {"number": int(m.group(3)), "state": state.state, "url": self._issue_url(m)}
        if (m := _ISSUE_REACTIONS.match(path)) and method == "GET":
            state = self.issue(f"{m.group(1)}/{m.group(2)}", int(m.group(3)))
            return 200, [
                {"id": n, "node_id": f"R{n}", "content": "+1", "created_at": "2026-03-02T09:00:00Z",
                 "user": {"login": login, "type": "Bot" if login.endswith("[bot]") else "User",
                          "url": f"{self.url}/users/{login}"}}
                for n, login in enumerate(state.plus_ones, 1)
            ]  # fmt: skip
        if (m := _ISSUES.match(path)) and method == "POST":
            repo = f"{m.group(1)}/{m.group(2)}"
            number = 1 + max((n for r, n in self.issues if r == repo), default=100)
            state = self.issue(repo, number)
            state.title, state.body, state.labels = body["title"], body.get("body", ""), list(body.get("labels", []))
            url = f"{self.url}/repos/{repo}/issues/{number}"
            return 201, {"number": number, "url": url, "html_url": f"https://github.com/{repo}/issues/{number}",
                         "state": "open", "title": state.title}  # fmt: skip
        if (m := _REACTIONS.match(path)) and method == "POST":
            self.reactions.append((int(m.group(3)), body["content"]))
            return 201, {"id": 1, "content": body["content"]}
        return None

    def _listed(self, repo: str, labels: str) -> list[dict[str, Any]]:
        wanted = {label for label in labels.split(",") if label}
        found = sorted((n for r, n in self.issues if r == repo), reverse=True)
        return [
            {"number": n, "state": s.state, "title": s.title, "body": s.body, "labels": [{"name": x} for x in s.labels],
             "url": f"{self.url}/repos/{repo}/issues/{n}", "html_url": f"https://github.com/{repo}/issues/{n}"}
            for n in found
            if wanted <= set((s := self.issues[(repo, n)]).labels)
        ]  # fmt: skip

    def _issue_url(self, match: re.Match[str]) -> str:
        return f"{self.url}/repos/{match.group(1)}/{match.group(2)}/issues/{match.group(3)}"


def dumps(data: object) -> bytes:
    """A body as GitHub would send it."""
    return json.dumps(data).encode("utf-8")
