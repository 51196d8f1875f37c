"""The HTTP side of ``helpline serve``: a health check now, the platforms' webhook routes later."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from bots.adapters import AdapterStatus
from core.escalation import EscalationWorker
from core.ports import Clock


def create_app(
    worker: EscalationWorker,
    clock: Clock,
    adapters: Sequence[AdapterStatus],
    *,
    interval: float,
    routes: Sequence[BaseRoute] = (),
) -> Starlette:
    """The web application: ``/healthz`` plus any adapter routes."""

    async def healthz(request: Request) -> JSONResponse:
        """200 while the escalation worker keeps up; 503 when its last pass failed or it has stalled."""
        now = clock.now()
        stalled = worker.last_pass is None or now - worker.last_pass > timedelta(seconds=3 * interval + 30)
        healthy = worker.last_error is None and not stalled
        body = {
            "status": "ok" if healthy else "degraded",
            "escalation_worker": {
                "last_pass": worker.last_pass.isoformat() if worker.last_pass else None,
                "last_error": worker.last_error,
            },
            "adapters": {status.platform: {"on": status.on, "reason": status.reason} for status in adapters},
        }
        return JSONResponse(body, status_code=200 if healthy else 503)

    return Starlette(routes=[Route("/healthz", healthz, methods=["GET"]), *routes])
