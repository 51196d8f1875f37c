"""The HTTP side of ``helpline serve``: the health check, and the routes the adapters in the registry bring."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Route

from bots.adapters import AdapterStatus
from bots.http.metrics import metrics_route
from core.analytics.ports import MetricsSource
from core.ports import Clock
from core.sla.worker import EscalationWorker


def create_app(
    worker: EscalationWorker | None,
    clock: Clock,
    adapters: Sequence[AdapterStatus],
    *,
    interval: float,
    routes: Sequence[BaseRoute] = (),
    metrics: MetricsSource | None = None,
    metrics_token: str | None = None,
) -> Starlette:
    """The web application: ``/healthz``, ``/metrics`` (given a source) and any adapter routes.

    ``worker`` is None in a web-only process.
    """

    async def healthz(request: Request) -> JSONResponse:
        """200 while this process's escalation worker (if it runs one) keeps up; 503 when it failed or stalled."""
        healthy, worker_body = _worker_health(worker, clock.now(), interval)
        body = {
            "status": "ok" if healthy else "degraded",
            "escalation_worker": worker_body,
            "adapters": {status.platform: {"on": status.on, "reason": status.reason} for status in adapters},
        }
        return JSONResponse(body, status_code=200 if healthy else 503)

    extra = [metrics_route(metrics, clock, metrics_token)] if metrics is not None else []
    return Starlette(routes=[Route("/healthz", healthz, methods=["GET"]), *extra, *routes])


def _worker_health(worker: EscalationWorker | None, now: datetime, interval: float) -> tuple[bool, dict[str, Any]]:
    if worker is None:
        # Escalations run in the worker processes, which a web process neither waits for nor answers for.
        return True, {"runs_here": False}
    stalled = worker.last_pass is None or now - worker.last_pass > timedelta(seconds=3 * interval + 30)
    body = {
        "runs_here": True,
        "last_pass": worker.last_pass.isoformat() if worker.last_pass else None,
        "last_error": worker.last_error,
    }
    return worker.last_error is None and not stalled, body
