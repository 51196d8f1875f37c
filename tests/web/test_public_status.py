"""The public status page: served without sign-in, escaped, and showing open incidents and their latest update only."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from starlette.applications import Starlette
from starlette.testclient import TestClient

from bots.web.status_page import status_routes
from core.incidents.records import Severity
from core.messages import Address
from core.stores import Stores
from core.tickets.records import NewTicket, Priority
from tests.fakes import memory_stores

T0 = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)


async def _seed(stores: Stores) -> None:
    where = Address("slack", "T1", "C1", "1.2")
    new = NewTicket("acct-acme", "enterprise", where, "USECRET", "Ada Secretname", "My card 4111 fails", None,
                    Priority.CRITICAL, T0, T0, T0)  # fmt: skip
    number = (await stores.tickets.open_ticket(new, "helpline")).number
    incidents = stores.incidents
    await incidents.open("Payments <script>alert(1)</script>", Severity.CRITICAL, "slack:UMOD", T0)
    await incidents.link(1, [number], "slack:UMOD", T0)
    await incidents.post(1, "Investigating", "slack:UMOD", T0)
    await incidents.post(1, "A fix is rolling out & nearly done", "slack:UMOD", T0 + timedelta(minutes=30))
    await incidents.open("Old outage", Severity.MINOR, "slack:UMOD", T0)
    await incidents.resolve(2, "gone", "slack:UMOD", T0)
    await incidents.open("Search is slow", Severity.MAJOR, "slack:UMOD", T0)


def test_the_status_page_is_public_escaped_and_shows_no_personal_data() -> None:
    stores = memory_stores()
    client = TestClient(Starlette(routes=status_routes(stores.incidents, "Tideline")))
    empty = client.get("/status")
    assert empty.status_code == 200 and "No open incidents" in empty.text
    asyncio.run(_seed(stores))
    response = client.get("/status")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    page = response.text
    assert "#1 Payments &lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>" not in page
    assert "Latest update (2026-12-04 09:30 UTC): A fix is rolling out &amp; nearly done" in page
    assert "Investigating</p>" not in page  # only the latest update
    assert "Search is slow" in page and "The team is investigating." in page
    assert "Old outage" not in page  # resolved: off the page
    for private in ("Secretname", "USECRET", "UMOD", "acct-", "4111", "slack:"):
        assert private not in page
