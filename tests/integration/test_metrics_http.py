"""``/metrics`` scraped through the real HTTP app, on a SQLite store and on the in-memory fake with known tickets."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.samples import Sample

from bots.http.app import create_app
from core.analytics.ports import MetricsSource
from core.clock import ManualClock
from core.jobs import NewJob
from core.messages import Address
from core.satisfaction.records import NewSurvey, SurveyKind
from core.store.engine import create_engine_for, sqlite_url
from core.store.metrics import SqlMetricsSource
from core.store.migrate import upgrade_schema
from core.store.sql_store import sql_stores
from core.stores import Stores
from core.tickets.records import (
    ConversationMessage,
    Deadline,
    Escalation,
    NewTicket,
    Priority,
    Role,
    TicketChange,
    TicketEvent,
    TicketStatus,
)
from tests.fakes import memory_stores
from tests.job_fakes import InMemoryJobQueue
from tests.metrics_fakes import InMemoryMetricsSource
from tests.store_state import MemoryState

pytestmark = pytest.mark.asyncio

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
NOW = T0 + timedelta(hours=6)
LOCAL = ("127.0.0.1", 40000)
REMOTE = ("203.0.113.9", 40000)


def _draft(n: int, tier: str, priority: Priority) -> NewTicket:
    address = Address("console", channel=f"c{n}")
    due = T0 + timedelta(hours=1)
    return NewTicket(f"acme{n}", tier, address, f"u{n}", "Ada", f"ticket {n}", None, priority, T0, due, None)


async def _populate(stores: Stores) -> None:
    """Four tickets: gold/high ×2 (one answered in 10 min, one never: a breach), silver/low ×2 (one resolved)."""
    opened = [
        await stores.tickets.open_ticket(_draft(n, tier, priority), "helpline")
        for n, (tier, priority) in enumerate(
            [("gold", Priority.HIGH), ("gold", Priority.HIGH), ("silver", Priority.LOW), ("silver", Priority.LOW)]
        )
    ]
    answered = T0 + timedelta(minutes=10)
    await stores.tickets.update(
        opened[0].number,
        TicketChange(first_response_at=answered),
        TicketEvent(opened[0].number, answered, "ann", "replied"),
    )
    done = T0 + timedelta(minutes=30)
    await stores.tickets.update(
        opened[3].number,
        TicketChange(status=TicketStatus.RESOLVED, first_response_at=done, resolved_at=done),
        TicketEvent(opened[3].number, done, "bob", "resolved"),
    )
    for role, text in ((Role.CUSTOMER, "help"), (Role.CUSTOMER, "still?"), (Role.BOT, "try this")):
        message = ConversationMessage(Address("console", channel="c0"), "u0", "Ada", role, text, T0)
        await stores.conversations.record_message(message)
    late = Escalation(opened[1].number, Deadline.FIRST_RESPONSE, 1, "on-call", T0 + timedelta(hours=1))
    assert await stores.escalations.claim_escalation(late)
    await stores.jobs.enqueue(NewJob("slack", "k1", "event", b"{}", T0), T0)
    await stores.jobs.enqueue(NewJob("slack", "k2", "event", b"{}", T0), T0)


@pytest_asyncio.fixture(params=["sqlite", "memory"])
async def source(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[MetricsSource]:
    """A store holding the known tickets, read through each implementation of ``MetricsSource``."""
    if request.param == "memory":
        state, jobs = MemoryState(), InMemoryJobQueue()
        await _populate(replace(memory_stores(state=state), jobs=jobs))
        yield InMemoryMetricsSource(state, jobs, ("slack",))
        return
    engine = create_engine_for(sqlite_url(tmp_path / "helpline.db"))
    try:
        await upgrade_schema(engine)
        await _populate(sql_stores(engine))
        yield SqlMetricsSource(engine)
    finally:
        await engine.dispose()


async def _get(
    source: MetricsSource, *, client: tuple[str, int] = LOCAL, token: str | None = None, **headers: str
) -> httpx.Response:
    app = create_app(None, ManualClock(NOW), (), interval=60.0, metrics=source, metrics_token=token)
    transport = httpx.ASGITransport(app=app, client=client)
    async with httpx.AsyncClient(transport=transport, base_url="http://helpline") as http:
        return await http.get("/metrics", headers=headers)


def _samples(text: str) -> tuple[dict[str, str], list[Sample]]:
    families = list(text_string_to_metric_families(text))
    return {f.name: f.type for f in families}, [s for f in families for s in f.samples]


def _value(samples: list[Sample], name: str, **labels: str) -> float:
    found = [s.value for s in samples if s.name == name and all(s.labels.get(k) == v for k, v in labels.items())]
    assert len(found) == 1, (name, labels, found)
    return found[0]


async def test_the_scraped_numbers_are_the_tickets_created(source: MetricsSource) -> None:
    response = await _get(source)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    types, samples = _samples(response.text)
    assert types["helpline_tickets_opened"] == "counter"
    assert types["helpline_first_response_seconds"] == "histogram"
    assert types["helpline_tickets_open"] == types["helpline_jobs_pending"] == "gauge"
    assert _value(samples, "helpline_tickets_opened_total", tier="gold", priority="high") == 2
    assert _value(samples, "helpline_tickets_opened_total", tier="silver", priority="low") == 2
    assert _value(samples, "helpline_tickets_open", tier="silver", priority="low") == 1
    assert _value(samples, "helpline_messages_total", role="customer") == 2
    assert _value(samples, "helpline_answers_total") == 1
    # Answered after 10 and 30 minutes: both within 30 min, neither within 5.
    assert _value(samples, "helpline_first_response_seconds_bucket", le="300.0") == 0
    assert _value(samples, "helpline_first_response_seconds_bucket", le="1800.0") == 2
    assert _value(samples, "helpline_first_response_seconds_count") == 2
    assert _value(samples, "helpline_first_response_seconds_sum") == 2400
    # Tickets 2 and 3 (no answer, due an hour after opening, six hours ago) are breached; the answered ones are not.
    assert _value(samples, "helpline_sla_breached_tickets", clock="first_response") == 2
    assert _value(samples, "helpline_escalations_total", deadline="first_response") == 1
    assert _value(samples, "helpline_jobs_pending", queue="slack") == 2
    assert _value(samples, "helpline_outbox_unsent") == 0
    assert "helpline_model_seconds" in types  # this process's latency histogram rides along


async def test_remote_clients_are_refused_without_a_token(source: MetricsSource) -> None:
    response = await _get(source, client=REMOTE)
    assert response.status_code == 403
    assert "HELPLINE_METRICS_TOKEN" in response.text
    assert "helpline_tickets" not in response.text


async def test_with_a_token_everyone_needs_it(source: MetricsSource) -> None:
    token = "s3cret-scrape-token"
    for client in (LOCAL, REMOTE):
        assert (await _get(source, client=client, token=token)).status_code == 401
        assert (await _get(source, client=client, token=token, authorization="Bearer wrong")).status_code == 401
        accepted = await _get(source, client=client, token=token, authorization=f"Bearer {token}")
        assert accepted.status_code == 200
        assert "helpline_tickets_opened_total" in accepted.text


async def test_refusals_are_logged_with_the_client(source: MetricsSource, caplog: pytest.LogCaptureFixture) -> None:
    await _get(source, client=REMOTE)
    await _get(source, token="t0ken", authorization="Bearer nope")
    lines = [r.getMessage() for r in caplog.records if r.name == "helpline.metrics"]
    assert any("203.0.113.9" in line and "loopback" in line for line in lines)
    assert any("127.0.0.1" in line and "bearer token" in line for line in lines)
    assert not any("nope" in line or "t0ken" in line for line in lines)  # no secret in the log


async def test_csat_responses_are_the_csat_surveys_answered(tmp_path: Path) -> None:
    engine = create_engine_for(sqlite_url(tmp_path / "helpline.db"))
    try:
        await upgrade_schema(engine)
        surveys = sql_stores(engine).surveys
        at = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
        for number, score in [(1, 5), (2, 2), (3, None)]:
            address = Address("slack", "T1", "C1", f"17000000{number}.1")
            sent = await surveys.send(
                NewSurvey(SurveyKind.CSAT, number, "slack", f"U{number}", address, "enterprise", None, at)
            )
            assert sent is not None
            if score is not None:
                await surveys.answer(sent.id, score, None, at)
        nps = NewSurvey(SurveyKind.NPS, None, "slack", "U9", Address("slack", "T1", "D9"), "enterprise", None, at)
        asked = await surveys.send(nps)
        assert asked is not None
        await surveys.answer(asked.id, 9, None, at)
        _, samples = _samples((await _get(SqlMetricsSource(engine))).text)
        assert _value(samples, "helpline_csat_responses_total") == 2  # answered CSAT only: not the unanswered, not NPS
    finally:
        await engine.dispose()
