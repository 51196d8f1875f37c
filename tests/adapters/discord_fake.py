"""A local stand-in for Discord: a REST API server the real discord.py client talks to, and a gateway feeder.

discord.py is pointed at the server by its API base URL; gateway events are fed through the
client's own event parsers, so messages, threads and interactions take the same path as live ones.
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import discord
from aiohttp import web
from aiohttp.test_utils import TestServer

from tests.adapters.discord_rest import (
    EPHEMERAL as EPHEMERAL,
)
from tests.adapters.discord_rest import (
    Picked,
    SentFile,
    application,
    attachment,
    callback,
    dm_channel,
    files_match,
    is_bot_task,
    member_object,
    read_multipart,
    slash_option,
    user_object,
)

PAYLOADS = Path(__file__).resolve().parent / "payloads" / "discord"
GUILD = 900000000000000001
HELP = 900000000000000101
FORUM = 900000000000000102
GENERAL = 900000000000000103
STAFF = 900000000000000104
BOT = 900000000000000999
ANA = 900000000000000301
MO = 900000000000000401
MODERATOR_ROLE = 900000000000000201
ENTERPRISE_ROLE = 900000000000000202
ON_CALL_ROLE = 900000000000000203
TOKEN = "fake-token"


def payload(name: str) -> dict[str, Any]:
    """A fresh copy of a recorded-format payload."""
    data: dict[str, Any] = json.loads((PAYLOADS / f"{name}.json").read_text(encoding="utf-8"))
    return data


@dataclass
class Call:
    """One REST request the bot made; a multipart request's JSON is its ``payload_json`` part."""

    method: str
    path: str
    body: Any
    files: tuple[SentFile, ...] = ()


@dataclass
class FakeDiscordApi:
    """Discord's REST API, enough of it for Helpline: messages, threads, interactions, commands."""

    on_gateway: Callable[[str, dict[str, Any]], None] | None = None
    calls: list[Call] = field(default_factory=list)
    threads: dict[int, dict[str, Any]] = field(default_factory=dict)
    fail_threads: bool = False
    # The answers (status, Discord error code) to the next messages with files: 403/50013 is Missing Permissions.
    refuse_files: list[tuple[int, int]] = field(default_factory=list)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(950000000000000001))

    def app(self) -> web.Application:
        """The aiohttp application serving the API under /api/v10."""
        app = web.Application()
        app.router.add_route("*", "/api/v10/{path:.*}", self._handle)
        return app

    async def _handle(self, request: web.Request) -> web.Response:
        files: tuple[SentFile, ...] = ()
        if request.content_type == "multipart/form-data":
            body, files = await read_multipart(request)
        else:
            body = await request.json() if request.can_read_body else None
        path = "/" + request.match_info["path"]
        self.calls.append(Call(request.method, path, body, files))
        parts = path.strip("/").split("/")
        handler = self._route(request.method, parts)
        if handler is None:
            return _json({"message": "404: Not Found", "code": 0}, 404)
        if files and not files_match(body or {}, files):
            return _json({"message": "Invalid Form Body", "code": 50035}, 400)
        if files and self.refuse_files:
            status, code = self.refuse_files.pop(0)
            return _json({"message": "Refused", "code": code}, status)
        status, data = handler(parts, body or {})
        if files and isinstance(data, dict):  # the created message lists its attachments, as Discord's does
            data["attachments"] = [attachment(next(self._ids), f) for f in files]
        return _json(data, status)

    def _route(self, method: str, parts: list[str]) -> Callable[[list[str], Any], tuple[int, Any]] | None:
        match method, parts:
            case "GET", ["users", "@me"]:
                return lambda *_: (200, user_object(BOT, "helpline", bot=True))
            case "POST", ["users", "@me", "channels"]:  # open a DM channel with a user
                return lambda _, body: (200, dm_channel(int(body["recipient_id"])))
            case "GET", ["oauth2", "applications", "@me"]:
                return lambda *_: (200, application(BOT))
            case "PUT", ["applications", _, "commands"] | ["applications", _, "guilds", _, "commands"]:
                return lambda _, body: (200, [self._command(c, parts) for c in body])
            case "POST", ["channels", channel, "messages"]:
                return lambda _, body: (200, self._message(int(channel), body))
            case "DELETE", ["channels", _, "messages", _]:  # a message deleted (the spam guard)
                return lambda *_: (200, {})
            case "PATCH", ["guilds", guild, "members", user]:  # a member edited, e.g. timed out
                return lambda _, body: (200, member_object(int(guild), int(user), body))
            case "PATCH", ["channels", channel, "messages", message]:
                return lambda _, body: (200, {**self._message(int(channel), body), "id": message})
            case "POST", ["channels", channel, "messages", message, "threads"]:
                return lambda _, body: self._thread(int(channel), int(message), body)
            case "GET", ["channels", channel]:
                found = self.threads.get(int(channel))
                return lambda *_: (200, found) if found else (404, {"message": "Unknown Channel", "code": 10003})
            case "POST", ["interactions", interaction, _, "callback"]:
                return lambda _, body: (200, callback(int(interaction), body))
            case "POST", ["webhooks", _, _]:
                return lambda _, body: (200, self._message(0, body))
        return None

    def _command(self, command: dict[str, Any], parts: list[str]) -> dict[str, Any]:
        guild = parts[3] if len(parts) > 4 else None
        return {**command, "id": str(next(self._ids)), "application_id": str(BOT), "guild_id": guild, "version": "1"}

    def _message(self, channel: int, body: dict[str, Any]) -> dict[str, Any]:
        sent = copy.deepcopy(payload("message_create"))
        sent.update(
            id=str(next(self._ids)),
            channel_id=str(channel),
            content=body.get("content", ""),
            embeds=body.get("embeds", []),
            components=body.get("components", []),
            author=user_object(BOT, "helpline", bot=True),
            flags=body.get("flags", 0),
        )
        sent.pop("member", None)
        return sent

    def _thread(self, channel: int, message: int, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if self.fail_threads:
            return 403, {"message": "Missing Permissions", "code": 50013}
        if message in self.threads:
            return 400, {"message": "A thread has already been created for this message", "code": 160004}
        thread = payload("thread_create")
        thread.update(id=str(message), parent_id=str(channel), name=body["name"])
        self.threads[message] = thread
        if self.on_gateway is not None:  # Discord announces the new thread on the gateway too
            self.on_gateway("THREAD_CREATE", thread)
        return 201, thread

    def files(self, channel: int | None = None) -> list[tuple[dict[str, Any], tuple[SentFile, ...]]]:
        """Each message with files posted to a channel (all channels if None): its body and its files."""
        return [
            (c.body, c.files)
            for c in self.calls
            if c.files and c.method == "POST" and (channel is None or c.path == f"/channels/{channel}/messages")
        ]

    def sent(self, channel: int | None = None) -> list[dict[str, Any]]:
        """Bodies of messages posted to a channel or thread (all channels if None), oldest first."""
        return [
            c.body
            for c in self.calls
            if c.method == "POST"
            and c.path.startswith("/channels/")
            and c.path.endswith("/messages")
            and (channel is None or c.path == f"/channels/{channel}/messages")
        ]

    def edits(self, message: int | None = None) -> list[dict[str, Any]]:
        """Bodies of edits to the bot's messages (all messages if None), oldest first."""
        return [
            c.body
            for c in self.calls
            if c.method == "PATCH"
            and c.path.startswith("/channels/")
            and (message is None or c.path.endswith(f"/messages/{message}"))
        ]

    def followups(self) -> list[dict[str, Any]]:
        """Bodies of interaction follow-up messages, oldest first."""
        return [c.body for c in self.calls if c.method == "POST" and c.path.startswith("/webhooks/")]

    def deleted(self) -> list[int]:
        """The ids of the messages the bot deleted, oldest first."""
        return [int(c.path.rsplit("/", 1)[1]) for c in self.calls if c.method == "DELETE" and "/messages/" in c.path]

    def member_edits(self, user: int) -> list[dict[str, Any]]:
        """Bodies of the bot's edits to guild member ``user`` (a timeout sets communication_disabled_until)."""
        return [c.body for c in self.calls if c.method == "PATCH" and c.path.endswith(f"/members/{user}")]

    def deferrals(self) -> list[dict[str, Any]]:
        """Bodies of interaction callbacks (the bot's acknowledgements), oldest first."""
        return [c.body for c in self.calls if c.path.startswith("/interactions/")]


def _json(data: Any, status: int) -> web.Response:
    # discord.py reads a body as JSON only when the content type is exactly application/json.
    return web.Response(body=json.dumps(data).encode(), status=status, headers={"Content-Type": "application/json"})


class FakeDiscord:
    """The fake API server and the gateway feeder around one bot."""

    def __init__(self, bot: discord.Client) -> None:
        self.bot = bot
        self.api = FakeDiscordApi(on_gateway=self.event)
        self._server = TestServer(self.api.app())
        self._ids = itertools.count(960000000000000001)

    async def start(self) -> None:
        """Serve the API, log the bot in against it and make the guild known, as READY would."""
        await self._server.start_server()
        discord.http.Route.BASE = str(self._server.make_url("/api/v10"))
        await self.bot.login(TOKEN)
        self.bot._connection._add_guild_from_data(payload("guild_create"))  # type: ignore[arg-type]

    async def close(self) -> None:
        """Log out and stop the server."""
        await self.bot.close()
        await self._server.close()
        discord.http.Route.BASE = "https://discord.com/api/v10"

    def event(self, name: str, data: dict[str, Any]) -> None:
        """Feed one gateway event to the bot's parsers."""
        self.bot._connection.parsers[name](data)

    async def settle(self) -> None:
        """Wait until every handler the events started has finished."""
        me = asyncio.current_task()
        for _ in range(100):
            busy = [t for t in asyncio.all_tasks() if t is not me and is_bot_task(t)]
            if not busy:
                return
            await asyncio.wait(busy, timeout=10)

    async def member_joins(self, user: int, name: str = "Ana") -> None:
        """Someone joins the guild (GUILD_MEMBER_ADD); returns once the bot has handled it."""
        member = {"user": user_object(user, name), "roles": [], "joined_at": "2026-11-23T09:00:00+00:00", "flags": 0}
        self.event("GUILD_MEMBER_ADD", {**member, "guild_id": str(GUILD), "deaf": False, "mute": False})
        await self.settle()

    async def message(
        self,
        content: str,
        *,
        channel: int = HELP,
        author: int = ANA,
        roles: tuple[int, ...] = (),
        mentions_bot: bool = False,
        message_id: int | None = None,
        bot_author: bool = False,
        attachments: list[dict[str, Any]] | None = None,
    ) -> int:
        """A member posts a message (with ``attachments``); returns its id once the bot has handled it."""
        data = payload("message_create")
        message_id = message_id or next(self._ids)
        data.update(id=str(message_id), channel_id=str(channel), content=content, attachments=attachments or [])
        data["author"]["id"] = str(author)
        data["author"]["bot"] = bot_author
        data["member"]["roles"] = [str(role) for role in roles]
        if mentions_bot:
            data["mentions"] = [user_object(BOT, "helpline", bot=True)]
        self.event("MESSAGE_CREATE", data)
        await self.settle()
        return message_id

    async def press(
        self,
        custom_id: str,
        *,
        channel: int,
        user: int = ANA,
        roles: tuple[int, ...] = (),
        on: dict[str, Any] | None = None,
    ) -> None:
        """A member presses a button under a message in ``channel`` (``on``: that message, if not sent here)."""
        data = payload("interaction_component")
        data.update(id=str(next(self._ids)), channel_id=str(channel))
        if channel in (HELP, FORUM, GENERAL, STAFF):  # a plain channel, e.g. the staff channel
            data["channel"] = {**payload("interaction_command")["channel"], "id": str(channel)}
        else:  # a thread, as Discord describes it in an interaction
            thread = self.api.threads.get(channel) or payload("thread_create")
            data["channel"] = {**thread, "id": str(channel), "permissions": "1071698660929"}
            for gateway_only in ("newly_created", "member"):
                data["channel"].pop(gateway_only, None)
        data["data"]["custom_id"] = custom_id
        # Discord sends the pressed message with its buttons, as the bot posted them.
        data["message"].update(channel_id=str(channel), components=self._components_with(custom_id, on))
        data["member"]["user"]["id"] = str(user)
        data["member"]["roles"] = [str(role) for role in roles]
        self.event("INTERACTION_CREATE", data)
        await self.settle()

    def _components_with(self, custom_id: str, on: dict[str, Any] | None) -> list[dict[str, Any]]:
        for body in [on] if on is not None else reversed(self.api.sent() + self.api.followups()):
            rows = body.get("components", [])
            if any(button.get("custom_id") == custom_id for row in rows for button in row["components"]):
                return [{**row, "id": n + 1} for n, row in enumerate(rows)]
        raise AssertionError(f"the bot never posted a button {custom_id!r}")

    async def slash(
        self,
        group: str,
        sub: str | None,
        options: dict[str, Any],
        *,
        user: int = MO,
        roles: tuple[int, ...] = (),
        thread: int | None = None,
    ) -> None:
        """A member runs ``/group sub`` with ``options`` in the staff channel (or in a thread the bot opened)."""
        data = payload("interaction_command")
        data["id"] = str(next(self._ids))
        if thread is not None:  # as Discord describes a thread in an interaction
            data.update(channel_id=str(thread))
            data["channel"] = {**self.api.threads[thread], "id": str(thread), "permissions": "1071698660929"}
            for gateway_only in ("newly_created", "member"):
                data["channel"].pop(gateway_only, None)
        typed = [slash_option(k, v) for k, v in options.items()]
        data["data"].update(name=group, options=[{"type": 1, "name": sub, "options": typed}] if sub else typed)
        picked = [v for v in options.values() if isinstance(v, Picked)]
        if picked:  # Discord resolves a picked member into the interaction, as users and members by id
            shape = data["member"]["user"]
            users = {str(p.id): {**shape, "id": str(p.id), "username": p.name, "global_name": p.name} for p in picked}
            members = {str(p.id): {k: v for k, v in data["member"].items() if k != "user"} for p in picked}
            data["data"]["resolved"] = {"users": users, "members": members}
        data["member"]["user"]["id"] = str(user)
        data["member"]["roles"] = [str(role) for role in roles]
        self.event("INTERACTION_CREATE", data)
        await self.settle()
