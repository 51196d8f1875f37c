"""``POST /github/webhook``: check the signature, queue the delivery durably, answer at once."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from starlette.responses import JSONResponse
from starlette.routing import Route

from bots.github.app import WEBHOOK, delivery_payload
from bots.github.translate import PayloadError, Ping, read_event, verify_signature
from bots.http.body import read_capped

if TYPE_CHECKING:
    from datetime import datetime

    from starlette.requests import Request

    from core.job_drain import JobDrain

log = logging.getLogger("helpline.github")

PATH = "/github/webhook"
STATUS_PATH = "/github/status"
MAX_BODY = 25 * 1024 * 1024  # GitHub caps payloads at 25 MB
MAX_DELIVERY_ID = 255


def _refuse(status: int, why: str) -> JSONResponse:
    return JSONResponse({"error": why}, status_code=status)


def _unreadable(event: str, reason: str) -> JSONResponse:
    log.warning("refused a signed %s delivery: %s", event, reason)
    return _refuse(400, f"unreadable {event} delivery: {reason}")


def webhook_route(secret: str, jobs: JobDrain) -> Route:
    """The webhook endpoint, queueing deliveries on ``jobs`` and waking it; with no ``secret`` it refuses all."""

    async def receive(request: Request) -> JSONResponse:
        """Verify, read just enough to refuse nonsense, queue, and answer 202 (200 for ping and duplicates)."""
        if not secret:
            return _refuse(401, "refused: GITHUB_WEBHOOK_SECRET is not configured")
        body = await read_capped(request, MAX_BODY)
        if body is None:
            return _refuse(413, f"a delivery is at most {MAX_BODY} bytes")
        if not verify_signature(secret, body, request.headers.get("x-hub-signature-256")):
            log.warning("refused a GitHub delivery with a missing or wrong signature")
            return _refuse(401, "missing or wrong X-Hub-Signature-256")
        event = request.headers.get("x-github-event", "").strip()
        delivery = request.headers.get("x-github-delivery", "").strip()
        if not event or not delivery or len(delivery) > MAX_DELIVERY_ID or not delivery.isprintable():
            return _refuse(400, "X-GitHub-Event and X-GitHub-Delivery (at most 255 characters) are required")
        try:
            text = body.decode("utf-8")
            payload = json.loads(text)
            parsed = read_event(event, payload)
        except RecursionError:  # JSON nested deeper than Python parses
            return _unreadable(event, "the body is nested too deeply")
        except (UnicodeDecodeError, ValueError) as exc:  # PayloadError and JSONDecodeError are ValueErrors
            return _unreadable(event, str(exc) if isinstance(exc, PayloadError) else "the body is not UTF-8 JSON")
        if isinstance(parsed, Ping):
            return JSONResponse({"status": "pong"})
        if parsed is None:
            return JSONResponse({"status": "ignored", "event": event})
        if not await jobs.accept(delivery, WEBHOOK, delivery_payload(event, text)):
            return JSONResponse({"status": "duplicate", "delivery": delivery})
        jobs.wake()
        return JSONResponse({"status": "queued", "delivery": delivery}, status_code=202)

    return Route(PATH, receive, methods=["POST"])


def status_route(jobs: JobDrain, paused_until: Callable[[], datetime | None]) -> Route:
    """``GET /github/status``: how much GitHub work is waiting or failed, and whether GitHub asked us to wait."""

    async def status(request: Request) -> JSONResponse:
        """Job counts by status and the end of the current rate-limit pause, if any."""
        counts = await jobs.counts()
        pause = paused_until()
        return JSONResponse(
            {"jobs": {str(s): n for s, n in counts.items()}, "paused_until": pause.isoformat() if pause else None}
        )

    return Route(STATUS_PATH, status, methods=["GET"])
