"""Running a desk command as the viewer, and carrying what the desk said across the 303 back to the page.

The desk's words travel in the query string, signed with the viewer's session CSRF token (HMAC-SHA256), so
a link someone else made cannot put words on this person's page; they are escaped like any other text.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from core.messages import CommandMessage, ReplyKind

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from bots.web.deps import DashboardDeps, Viewer
    from core.command_records import Command

_MAX_TEXT = 600  # characters of one reply kept in the link
_MAX_LINES = 100


@dataclass(frozen=True)
class Said:
    """One thing the desk answered: its words and whether it was a refusal or an error."""

    text: str
    error: bool = False


async def run_as(deps: DashboardDeps, viewer: Viewer, command: Command) -> list[Said]:
    """Run ``command`` through the desk as the viewer (their platform identity and roles); the desk's replies."""
    replies = await deps.desk.handle(CommandMessage(viewer.address(), viewer.author(), command))
    return [Said(reply.text, reply.kind is ReplyKind.ERROR) for reply in replies]


def _signature(viewer: Viewer, payload: str) -> str:
    return hmac.new(viewer.csrf_token.encode(), payload.encode(), hashlib.sha256).hexdigest()


def flash_query(viewer: Viewer, said: Sequence[Said]) -> str:
    """The query-string fields (``said``, ``sig``) that show ``said`` on the next page this viewer opens."""
    kept = [[s.text[:_MAX_TEXT], int(s.error)] for s in said[:_MAX_LINES]]
    payload = json.dumps(kept, ensure_ascii=False, separators=(",", ":"))
    return urlencode({"said": payload, "sig": _signature(viewer, payload)})


def read_flash(params: Mapping[str, str], viewer: Viewer) -> list[Said]:
    """What the desk said, from a link this viewer's session signed; nothing for a missing or forged one."""
    payload, signature = params.get("said", ""), params.get("sig", "")
    if not payload or not hmac.compare_digest(_signature(viewer, payload), signature):
        return []
    try:
        items = json.loads(payload)
    except ValueError:
        return []
    if not isinstance(items, list):
        return []
    return [Said(str(text), bool(error)) for text, error in items if isinstance(text, str)]
