"""The public roadmap page: served without sign-in, escaped, and showing titles, statuses and vote counts only."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from starlette.applications import Starlette
from starlette.testclient import TestClient

from bots.web.roadmap import roadmap_routes
from core.clock import ManualClock
from core.messages import Address
from core.requests.impact import RequestPolicy
from core.requests.records import NewRequest, Requester, RequestStatus
from core.stores import Stores
from tests.fakes import memory_stores

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _person(name: str) -> Requester:
    return Requester(f"slack:U{name}", f"{name} Secretname", f"acct-{name}", "community", Address("slack", "T1", "C1"))


async def _seed(stores: Stores) -> None:
    requests = stores.feature_requests
    for title, who in (("Dark mode <script>alert(1)</script>", "ana"), ("Single sign-on", "bob"), ("CSV", "cy")):
        draft = await requests.draft(NewRequest(title, f"{title} please, from {who}@example.com", _person(who), T0))
        await requests.file_draft(draft.id, f"slack:U{who}")
    await requests.vote(2, _person("dee"), T0)
    await requests.change_status(2, RequestStatus.OPEN, RequestStatus.STARTED, "internal note", "mo", T0, lambda *a: [])
    await requests.change_status(3, RequestStatus.OPEN, RequestStatus.DECLINED, "", "mo", T0, lambda *a: [])


def test_the_roadmap_is_public_escaped_and_shows_no_personal_data() -> None:
    stores = memory_stores()
    asyncio.run(_seed(stores))
    app = Starlette(routes=roadmap_routes(stores.feature_requests, ManualClock(T0), RequestPolicy(), "Tideline"))
    response = TestClient(app).get("/roadmap")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    page = response.text
    assert page.index("Being built") < page.index("Single sign-on") < page.index("Most wanted") < page.index("Dark")
    assert "<td>2</td><td>Single sign-on</td><td>started</td><td>2</td>" in page
    assert "Dark mode &lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>" not in page
    assert "CSV" not in page  # declined: not on the roadmap
    for private in ("Secretname", "slack:U", "acct-", "example.com", "internal note", "please"):
        assert private not in page
