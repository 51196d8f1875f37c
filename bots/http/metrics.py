"""``/metrics``: Prometheus text built at scrape time from the database, plus this process's model latency.

Protected by default: only loopback clients are served unless ``HELPLINE_METRICS_TOKEN`` is set; then every
client (loopback included) must send ``Authorization: Bearer <token>``.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily
from prometheus_client.registry import Collector
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from bots.latency import LATENCY_REGISTRY
from core.analytics.gauges import FIRST_RESPONSE_BUCKETS

if TYPE_CHECKING:
    from prometheus_client.metrics_core import Metric
    from starlette.requests import Request

    from core.analytics.gauges import MetricsSnapshot
    from core.analytics.ports import MetricsSource
    from core.ports import Clock

log = logging.getLogger("helpline.metrics")

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
TOKEN_ENV = "HELPLINE_METRICS_TOKEN"  # noqa: S105 - the variable's name, not a secret


class SnapshotCollector(Collector):
    """Turns one ``MetricsSnapshot`` into metric families (a fresh one per scrape)."""

    def __init__(self, snapshot: MetricsSnapshot) -> None:
        self._s = snapshot

    def collect(self) -> Iterator[Metric]:
        """Every database figure, named ``helpline_*``."""
        s = self._s
        opened = CounterMetricFamily("helpline_tickets_opened", "Tickets opened.", labels=["tier", "priority"])
        for (tier, priority), n in sorted(s.tickets_opened.items()):
            opened.add_metric([tier, priority], n)
        yield opened
        open_now = GaugeMetricFamily("helpline_tickets_open", "Active tickets now.", labels=["tier", "priority"])
        for (tier, priority), n in sorted(s.tickets_open.items()):
            open_now.add_metric([tier, priority], n)
        yield open_now
        yield _counter("helpline_messages", "Conversation messages kept, by author role.", "role", s.messages)
        answers = CounterMetricFamily("helpline_answers", "Messages the bot wrote (answers and notices).")
        answers.add_metric([], s.messages.get("bot", 0))
        yield answers
        first = s.first_response
        buckets = [(_bound(b), n) for b, n in zip(FIRST_RESPONSE_BUCKETS, first.buckets, strict=True)]
        yield HistogramMetricFamily(
            "helpline_first_response_seconds",
            "Seconds from a ticket opening to its first human response (answered tickets).",
            buckets=[*buckets, ("+Inf", first.count)],
            sum_value=first.total_seconds,
        )
        yield _gauge("helpline_sla_breached_tickets", "Tickets past an SLA deadline.", "clock", s.breaches)
        yield _counter("helpline_escalations", "SLA escalations at level 1 or more.", "deadline", s.escalations)
        if s.csat_responses is not None:
            csat = CounterMetricFamily("helpline_csat_responses", "CSAT surveys answered with a score.")
            csat.add_metric([], s.csat_responses)
            yield csat
        yield _gauge("helpline_jobs_pending", "Durable jobs waiting, per queue.", "queue", s.jobs_pending)
        unsent = GaugeMetricFamily("helpline_outbox_unsent", "Escalation notices not yet delivered.")
        unsent.add_metric([], s.outbox_unsent)
        yield unsent


def _bound(seconds: float) -> str:
    return str(float(seconds))


def _counter(name: str, doc: str, label: str, values: dict[str, int]) -> CounterMetricFamily:
    family = CounterMetricFamily(name, doc, labels=[label])
    for key, n in sorted(values.items()):
        family.add_metric([key], n)
    return family


def _gauge(name: str, doc: str, label: str, values: dict[str, int]) -> GaugeMetricFamily:
    family = GaugeMetricFamily(name, doc, labels=[label])
    for key, n in sorted(values.items()):
        family.add_metric([key], n)
    return family


def render(snapshot: MetricsSnapshot) -> bytes:
    """The Prometheus text of ``snapshot`` followed by this process's model latency."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(SnapshotCollector(snapshot))
    return generate_latest(registry) + generate_latest(LATENCY_REGISTRY)


def refusal(request: Request, token: str | None) -> Response | None:
    """Why this request may not read ``/metrics`` (401 or 403), or None when it may."""
    client = request.client.host if request.client else ""
    if token:
        sent = request.headers.get("authorization", "")
        expected = f"Bearer {token}"
        if hmac.compare_digest(sent.encode(), expected.encode()):
            return None
        log.warning("/metrics refused to %s: missing or wrong bearer token", client or "unknown client")
        return PlainTextResponse("a valid Authorization: Bearer token is required\n", 401)
    if _loopback(client):
        return None
    log.warning("/metrics refused to %s: only loopback clients are served unless %s is set", client, TOKEN_ENV)
    return PlainTextResponse(f"/metrics is served to localhost only; set {TOKEN_ENV} to allow others\n", 403)


def _loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # no address at all (a Unix socket) or a name: not provably local
        return False


def metrics_route(source: MetricsSource, clock: Clock, token: str | None) -> Route:
    """The ``GET /metrics`` route over ``source``, guarded by ``token`` (or the loopback rule without one)."""

    async def metrics(request: Request) -> Response:
        refused = refusal(request, token)
        if refused is not None:
            return refused
        snapshot = await source.snapshot(clock.now())
        return Response(render(snapshot), media_type=CONTENT_TYPE)

    return Route("/metrics", metrics, methods=["GET"])
