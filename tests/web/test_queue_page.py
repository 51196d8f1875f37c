"""The queue page: what an agent sees, how they narrow it, and claiming or assigning many tickets at once."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from core.staff.records import StaffRole
from tests.desk_fakes import Harness, make_harness
from tests.web.page_html import parse
from tests.web_fakes import CSRF, dashboard_client, viewer

pytestmark = pytest.mark.asyncio


async def queue_of_three() -> Harness:
    """A critical outage (2 h promise), a bug report on Acme's enterprise tier, and one more bug report."""
    h = make_harness(tier="enterprise")
    await h.say("the app crashes at boot", user="ana", thread="t1")
    h.clock.advance(timedelta(minutes=5))
    await h.say("the whole API is down for us", user="bob", thread="t2")
    h.clock.advance(timedelta(minutes=5))
    await h.say("the app crashes when I save", user="cy", thread="t3")
    return h


def numbers_on(html: str) -> list[str]:
    return [e.attrs["value"] for e in parse(html).find("input", name="ticket")]


async def test_the_queue_lists_active_tickets_by_their_next_deadline_with_time_left() -> None:
    h = await queue_of_three()
    response = dashboard_client(h, viewer()).get("/dashboard/queue")
    assert response.status_code == 200
    rows = await h.store.queue.page(__import__("core.tickets.queue").tickets.queue.QueueQuery(), h.clock.now())
    expected = [str(r.ticket.number) for r in rows.rows]
    assert numbers_on(response.text) == expected
    page = parse(response.text)
    assert "3 tickets" in page.text
    assert "the whole API is down for us" in page.text
    assert any("in 1 h 50 min" in t for t in page.texts) or "in 1 h" in page.text
    assert page.find("a", href="/dashboard/tickets/2")
    assert page.find("a", id="queue-refresh")  # with scripts off, the page refreshes by this link
    assert page.find("script", src="/dashboard/static/queue.js")
