"""Reading a request body with a ceiling, so an oversized one is refused without being held in memory."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from starlette.requests import Request


async def read_capped(request: Request, limit: int) -> bytes | None:
    """The request body, or None as soon as it is known to be longer than ``limit`` (read no further)."""
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit:
        return None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)
