"""A local fake of Slack's Web API, response URLs and Socket Mode, for the real slack-bolt app to talk to.

It answers like Slack (``ok``, ``ts``, ``permalink``, 429 with ``Retry-After``) and records every call.
"""

from __future__ import annotations

import asyncio
import copy
import hashlib
import hmac
import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import WSMsgType, web

PAYLOADS = Path(__file__).parent / "payloads" / "slack"
TEAM, BOT_USER, BOT_ID = "T0VENDOR", "U0HELPLINE", "B0HELPLINE"
BOT_TOKEN, APP_TOKEN, SIGNING_SECRET = "xoxb-test-token", "xapp-test-token", "8f742231b10e8888abcd99yyyzzz85a5"


def payload(name: str) -> dict[str, Any]:
    """A fresh copy of a recorded payload."""
    data: dict[str, Any] = json.loads((PAYLOADS / f"{name}.json").read_text(encoding="utf-8"))
    return copy.deepcopy(data)


def signature_headers(body: bytes, secret: str = SIGNING_SECRET, at: float | None = None) -> dict[str, str]:
    """The headers Slack signs a request with (v0, HMAC-SHA256 over ``v0:timestamp:body``)."""
    stamp = str(int(time.time() if at is None else at))
    digest = hmac.new(secret.encode(), b"v0:" + stamp.encode() + b":" + body, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": f"v0={digest}"}


@dataclass(frozen=True)
class Call:
    """One request the app made."""

    method: str  # a Web API method ("chat.postMessage") or "response_url"
    args: dict[str, Any]
    at: float  # time.monotonic() when it arrived
    path: str = ""


@dataclass
class Upload:
    """A file sent through files.uploadV2's three steps; ``channel`` is empty until the upload is completed."""

    file_id: str
    filename: str
    length: int
    data: bytes = b""
    title: str = ""
    channel: str = ""
    thread_ts: str | None = None
    initial_comment: str | None = None


@dataclass
class FakeSlack:
    """Slack's Web API on 127.0.0.1; ``staff`` are the members of every user group."""

    staff: list[str] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # user id -> display name (others: user_not_found)
    zones: dict[str, str] = field(default_factory=dict)  # user id -> their profile's tz
    calls: list[Call] = field(default_factory=list)
    limited: dict[str, list[int]] = field(default_factory=dict)  # method -> Retry-After of the next 429s
    socket_acks: list[dict[str, Any]] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)  # channel -> the error chat.postMessage answers
    refused_uploads: list[str] = field(default_factory=list)  # errors the next files.completeUploadExternal answer
    scopes: set[str] = field(default_factory=lambda: {"chat:write", "files:write"})  # the bot token's file scopes
    _runner: web.AppRunner | None = None
    _port: int = 0
    _ts: int = 0
    _files: dict[str, Upload] = field(default_factory=dict)  # file id -> its upload, in the order asked for
    _sockets: list[web.WebSocketResponse] = field(default_factory=list)
    _socket_ready: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def url(self) -> str:
        """The base of everything served here."""
        return f"http://127.0.0.1:{self._port}"

    @property
    def api_url(self) -> str:
        """What ``SLACK_API_URL`` is set to."""
        return self.url + "/api/"

    async def start(self) -> None:
        """Listen on a free port."""
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_get("/api/{method}", self._api)
        app.router.add_post("/hooks/{rest:.*}", self._hook)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_get("/socket", self._socket)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self._port = self._runner.addresses[0][1]

    async def close(self) -> None:
        """Stop serving."""
        for ws in self._sockets:
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    def rate_limit(self, method: str, *retry_after: int) -> None:
        """Answer the next calls of ``method`` with 429 and these Retry-After values."""
        self.limited.setdefault(method, []).extend(retry_after)

    def posts(self, channel: str | None = None) -> list[dict[str, Any]]:
        """Messages posted with chat.postMessage (to ``channel``), oldest first."""
        return [
            c.args for c in self.calls if c.method == "chat.postMessage" and channel in (None, c.args.get("channel"))
        ]

    def escalations(self, channel: str | None = None) -> list[dict[str, Any]]:
        """The escalation notices among the posts (warnings and reminders go to the same channels)."""
        return [post for post in self.posts(channel) if "Escalation" in str(post.get("text", ""))]

    def responses(self) -> list[dict[str, Any]]:
        """What was sent to response URLs (ephemeral answers)."""
        return [c.args for c in self.calls if c.method == "response_url"]

    def uploads(self, channel: str | None = None) -> list[Upload]:
        """Files shared by files.completeUploadExternal (into ``channel``), oldest first."""
        return [f for f in self._files.values() if f.channel and channel in (None, f.channel)]

    def method_calls(self, method: str) -> list[Call]:
        """Every call of one Web API method."""
        return [c for c in self.calls if c.method == method]

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args = await _arguments(request)
        self.calls.append(Call(method, args, time.monotonic(), request.path))
        token = request.headers.get("Authorization", "")
        wanted = APP_TOKEN if method == "apps.connections.open" else BOT_TOKEN
        if token != f"Bearer {wanted}":
            return web.json_response({"ok": False, "error": "invalid_auth"})
        pending = self.limited.get(method)
        if pending:
            retry_after = pending.pop(0)
            return web.json_response(
                {"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": str(retry_after)}
            )
        return web.json_response(self._answer(method, args))

    def _answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://vendor.slack.com/",
                "team": "Vendor",
                "user": "helpline",
                "team_id": TEAM,
                "user_id": BOT_USER,
                "bot_id": BOT_ID,
                "is_enterprise_install": False,
            }
        if method == "chat.postMessage" and args.get("channel") in self.refused:
            return {"ok": False, "error": self.refused[args["channel"]]}
        if method == "chat.postMessage":
            self._ts += 1
            ts = f"{1732351000 + self._ts}.{self._ts:06d}"
            message = {"type": "message", "user": BOT_USER, "bot_id": BOT_ID, "text": args.get("text"), "ts": ts}
            return {"ok": True, "channel": args.get("channel"), "ts": ts, "message": message}
        if method == "chat.getPermalink":
            channel, ts = args.get("channel", ""), str(args.get("message_ts", ""))
            link = f"https://vendor.slack.com/archives/{channel}/p{ts.replace('.', '')}"
            return {"ok": True, "channel": channel, "permalink": link}
        if method == "users.info":
            user = str(args.get("user", ""))
            if user not in self.names:
                return {"ok": False, "error": "user_not_found"}
            profile = {"display_name": self.names[user], "real_name": self.names[user] + " (real)"}
            zone = {"tz": self.zones[user]} if user in self.zones else {}
            return {"ok": True, "user": {"id": user, "name": user.lower(), "profile": profile, **zone}}
        if method == "usergroups.users.list":
            return {"ok": True, "users": list(self.staff)}
        if method in ("views.open", "chat.postEphemeral"):  # a survey's comment modal, and its thanks
            return {"ok": True}
        if method.startswith("files.") and "files:write" not in self.scopes:
            return {"ok": False, "error": "missing_scope", "needed": "files:write", "provided": ",".join(self.scopes)}
        if method == "files.getUploadURLExternal":
            return self._upload_url(args)
        if method == "files.completeUploadExternal":
            return self._complete_upload(args)
        if method == "apps.connections.open":
            return {"ok": True, "url": f"ws://127.0.0.1:{self._port}/socket"}
        return {"ok": False, "error": "unknown_method"}

    def _upload_url(self, args: dict[str, Any]) -> dict[str, Any]:
        # Slack wants the name and the exact length up front; the bytes go to the URL it answers with.
        filename, length = str(args.get("filename", "")), str(args.get("length", ""))
        if not filename or not length.isdigit():
            return {"ok": False, "error": "invalid_arguments"}
        file_id = f"F0{len(self._files) + 1:08d}"
        self._files[file_id] = Upload(file_id, filename, int(length))
        return {"ok": True, "upload_url": f"{self.url}/upload/{file_id}", "file_id": file_id}

    async def _upload(self, request: web.Request) -> web.Response:
        upload = self._files.get(request.match_info["file_id"])
        data = await request.read()
        self.calls.append(Call("upload", {"bytes": len(data)}, time.monotonic(), request.path))
        if upload is None:
            return web.Response(status=404, text="unknown upload")
        if len(data) != upload.length:  # Slack refuses a body of another length than the one announced
            return web.Response(status=400, text="length mismatch")
        upload.data = data
        return web.Response(text=f"OK - {len(data)}")

    def _complete_upload(self, args: dict[str, Any]) -> dict[str, Any]:
        if self.refused_uploads:
            return {"ok": False, "error": self.refused_uploads.pop(0)}
        channel = str(args.get("channel_id") or "")
        files = json.loads(str(args.get("files", "[]")))
        found = [self._files.get(str(f.get("id"))) for f in files]
        if not channel or not found or any(f is None or f.length != len(f.data) for f in found):
            return {"ok": False, "error": "invalid_arguments" if not channel else "file_not_found"}
        shared: list[dict[str, Any]] = []
        for upload, given in zip(found, files, strict=True):
            assert upload is not None
            upload.title, upload.channel = str(given.get("title") or upload.filename), channel
            upload.thread_ts, upload.initial_comment = args.get("thread_ts"), args.get("initial_comment")
            shared.append({"id": upload.file_id, "name": upload.filename, "title": upload.title, "size": upload.length})
        return {"ok": True, "files": shared}

    async def _hook(self, request: web.Request) -> web.Response:
        self.calls.append(Call("response_url", await request.json(), time.monotonic(), request.path))
        return web.Response(text="ok")

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._sockets.append(ws)
        await ws.send_json({"type": "hello", "num_connections": 1, "debug_info": {}, "connection_info": {}})
        self._socket_ready.set()
        async for message in ws:
            if message.type is WSMsgType.TEXT:
                self.socket_acks.append(json.loads(message.data))
        return ws

    async def connected(self) -> None:
        """Wait until the app has opened its Socket Mode websocket."""
        await asyncio.wait_for(self._socket_ready.wait(), 10)

    async def push(self, envelope: dict[str, Any]) -> None:
        """Send a Socket Mode envelope to the connected app."""
        await self.connected()
        await self._sockets[-1].send_json(envelope)


async def _arguments(request: web.Request) -> dict[str, Any]:
    args: dict[str, Any] = dict(request.query)
    if request.content_type == "application/json":
        data = await request.json()
        args.update(data if isinstance(data, dict) else {})
    elif request.method == "POST":
        form = await request.post()
        args.update({key: value for key, value in form.items() if isinstance(value, str)})
    return args


def block_texts(blocks: list[dict[str, Any]]) -> list[str]:
    """Every mrkdwn text in a message's section and context blocks, in order."""
    found: list[str] = []
    for block in blocks:
        if block["type"] == "section":
            found.append(block["text"]["text"])
        elif block["type"] == "context":
            found.extend(element["text"] for element in block["elements"])
    return found
