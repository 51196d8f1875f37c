"""The bodies of the fake Discord REST API: messages with files as discord.py sends them, and the objects it answers."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import Any

from aiohttp import BodyPartReader, web

EPHEMERAL = 1 << 6


@dataclass(frozen=True)
class SentFile:
    """A file the bot sent with a message: the multipart part's field, file name, content type and bytes."""

    field: str
    filename: str
    content_type: str
    data: bytes


async def read_multipart(request: web.Request) -> tuple[Any, tuple[SentFile, ...]]:
    """A message with files as discord.py sends it: a ``payload_json`` part, then ``files[n]`` parts."""
    body: Any = None
    files: list[SentFile] = []
    reader = await request.multipart()
    async for part in reader:
        if not isinstance(part, BodyPartReader):
            continue
        if part.name == "payload_json":
            body = json.loads(await part.text())
        else:
            data = bytes(await part.read())
            kind = part.headers.get("Content-Type", "application/octet-stream")
            files.append(SentFile(part.name or "", part.filename or "", kind, data))
    return body, tuple(files)


def files_match(body: dict[str, Any], files: tuple[SentFile, ...]) -> bool:
    """Whether every ``files[n]`` part is named in the payload's ``attachments`` (Discord refuses the rest)."""
    named = {f"files[{a.get('id')}]": a.get("filename") for a in body.get("attachments", [])}
    return all(named.get(f.field) == f.filename for f in files)


def attachment(attachment_id: int, sent: SentFile) -> dict[str, Any]:
    """The attachment object a created message lists for a file sent with it."""
    url = f"https://cdn.discordapp.com/attachments/{attachment_id}/{sent.filename}"
    return {
        "id": str(attachment_id),
        "filename": sent.filename,
        "size": len(sent.data),
        "url": url,
        "proxy_url": url,
        "content_type": sent.content_type,
    }


def user_object(user_id: int, name: str, *, bot: bool = False) -> dict[str, Any]:
    """A user object as the API answers one."""
    return {
        "id": str(user_id),
        "username": name,
        "global_name": name.title(),
        "discriminator": "0",
        "avatar": None,
        "bot": bot,
        "public_flags": 0,
        "flags": 0,
        "mfa_enabled": True,
        "verified": True,
    }


def application(bot_id: int) -> dict[str, Any]:
    """The bot's application, as ``GET /oauth2/applications/@me`` answers it."""
    return {
        "id": str(bot_id),
        "name": "Helpline",
        "icon": None,
        "description": "Support desk",
        "bot_public": False,
        "bot_require_code_grant": False,
        "verify_key": "0" * 64,
        "flags": 0,
        "owner": user_object(900000000000000500, "owner"),
        "team": None,
        "summary": "",
        "rpc_origins": [],
        "interactions_endpoint_url": None,
    }


def callback(interaction: int, body: dict[str, Any]) -> dict[str, Any]:
    """The answer to an interaction callback (with ``with_response``), as Discord gives it."""
    flags = (body.get("data") or {}).get("flags", 0)
    return {
        "interaction": {
            "id": str(interaction),
            "type": body.get("type", 5),
            "response_message_loading": body.get("type") == 5,
            "response_message_ephemeral": bool(flags & EPHEMERAL),
        }
    }


def dm_channel(user: int) -> dict[str, Any]:
    """The DM channel with ``user``, as ``POST /users/@me/channels`` answers; its id is the user's plus one."""
    return {"id": str(user + 1), "type": 1, "recipients": [user_object(user, "member")], "last_message_id": None}


def is_bot_task(task: asyncio.Task[Any]) -> bool:
    """True for a task discord.py started for an event that has not finished."""
    name = task.get_name()
    return name.startswith(("discord", "CommandTree")) and not task.done()


@dataclass(frozen=True)
class Picked:
    """A member picked in a slash command's user option."""

    id: int
    name: str = "picked"


def slash_option(name: str, value: Any) -> dict[str, Any]:
    """One slash option as Discord sends it: an integer (4), a string (3) or a picked user (6)."""
    if isinstance(value, Picked):
        return {"name": name, "type": 6, "value": str(value.id)}
    return {"name": name, "type": 4 if isinstance(value, int) else 3, "value": value}


def member_object(guild: int, user: int, body: dict[str, Any]) -> dict[str, Any]:
    """A guild member as Discord answers an edit of it, with the fields the edit set (e.g. a timeout)."""
    member = {"user": user_object(user, "member"), "roles": [], "joined_at": "2026-11-23T09:00:00+00:00"}
    return {**member, "deaf": False, "mute": False, "flags": 0, "guild_id": str(guild), **body}
