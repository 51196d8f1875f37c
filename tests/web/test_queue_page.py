"""The queue page: what an agent sees, how they narrow it, and claiming or assigning many tickets at once."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from core.staff.records import Identity
from core.tickets.queue import QueueQuery
from tests.desk_fakes import Harness, make_harness
from tests.web.page_html import parse
from tests.web_fakes import CSRF, dashboard_client, viewer

pytestmark = pytest.mark.asyncio


async def three_tickets() -> Harness:
    """Ana (enterprise) reports a crash, then an outage ten minutes later; Bob (community) a crash, no SLA."""
    h = make_harness(tier="enterprise")
    await h.say("the app crashes at boot", user="bob", thread="b1")
    h.clock.advance(timedelta(minutes=5))
    await h.say("the app crashes when I save", user="ana", thread="a1")
    h.clock.advance(timedelta(minutes=10))
    await h.say("the whole API is down for us", user="ana", thread="a2")
    return h


def picked(html: str) -> list[int]:
    """The ticket numbers of the page's rows, top to bottom."""
    return [int(e.attrs["value"]) for e in parse(html).find("input", name="ticket")]


async def test_the_queue_shows_the_next_deadline_first_in_words_and_colour() -> None:
    h = await three_tickets()
    response = dashboard_client(h, viewer()).get("/dashboard/queue")
    assert response.status_code == 200
    bob, crash, outage = 1, 2, 3
    # Both of Ana's tickets are critical on enterprise: two hours each, so the older is due first; Bob's has none.
    assert picked(response.text) == [crash, outage, bob]
    page = parse(response.text)
    assert "3 tickets, showing 1–3" in page.text
    assert "First response in 1 h 50 min" in page.text
    assert "no SLA clock running" in page.text
    assert page.find("span", class_="deadline good")
    assert page.find("a", href="/dashboard/tickets/3")
    assert "the whole API is down for us" in page.text and "Ana" in page.text and "enterprise" in page.text
    h.clock.advance(timedelta(hours=1, minutes=20))  # 30 min left on the crash, 40 on the outage
    soon = parse(dashboard_client(h, viewer()).get("/dashboard/queue").text)
    assert "First response in 30 min" in soon.text and soon.find("span", class_="deadline warn")
    h.clock.advance(timedelta(minutes=40))
    late = parse(dashboard_client(h, viewer()).get("/dashboard/queue").text)
    assert "First response breached 10 min ago" in late.text and late.find("span", class_="deadline bad")


async def test_each_filter_narrows_the_queue_and_the_form_keeps_it() -> None:
    h = await three_tickets()
    client = dashboard_client(h, viewer())
    await h.mod("claim 3")  # the moderator "mo", not the viewer
    assert picked(client.get("/dashboard/queue?tier=community").text) == [1]
    assert picked(client.get("/dashboard/queue?priority=high").text) == [1]
    assert picked(client.get("/dashboard/queue?assignee=unassigned").text) == [2, 1]
    assert picked(client.get("/dashboard/queue?assignee=discord:mo").text) == [3]
    assert picked(client.get("/dashboard/queue?status=open").text) == [3]
    empty = client.get("/dashboard/queue?platform=slack")
    assert picked(empty.text) == [] and "No tickets match these filters." in parse(empty.text).text
    h.clock.advance(timedelta(minutes=55))  # the crash is due in 55 min, the outage in 65
    soon = client.get("/dashboard/queue?soon=1&tier=enterprise")
    assert picked(soon.text) == [2]
    page = parse(soon.text)
    assert page.find("input", id="f-soon", checked="")
    assert page.find("option", value="enterprise", selected="")
    refresh = page.find("a", id="queue-refresh")[0].attrs["href"]
    assert parse_qs(urlsplit(refresh).query) == {"tier": ["enterprise"], "soon": ["1"]}


async def test_me_is_whoever_is_signed_in() -> None:
    h = await three_tickets()
    client = dashboard_client(h, viewer(user_id="mod"))
    assert picked(client.get("/dashboard/queue?assignee=me").text) == []
    client.post("/dashboard/tickets/1/claim", data={"csrf_token": CSRF})
    page = client.get("/dashboard/queue?assignee=me")
    assert picked(page.text) == [1]
    assert "you" in [e.strip() for e in parse(page.text).texts]


async def test_a_filter_value_the_queue_does_not_know_is_refused_in_words() -> None:
    h = await three_tickets()
    response = dashboard_client(h, viewer()).get("/dashboard/queue?priority=urgent")
    assert response.status_code == 400
    assert "the priority filter has no value 'urgent'" in parse(response.text).text


async def test_the_rows_alone_for_the_page_to_swap_in_every_15_seconds() -> None:
    h = await three_tickets()
    client = dashboard_client(h, viewer())
    response = client.get("/dashboard/queue/rows?tier=enterprise")
    assert response.status_code == 200
    assert response.headers["x-queue-total"] == "2"
    assert picked(response.text) == [2, 3]
    assert "<html" not in response.text and response.text.lstrip().startswith("<tr>")
    page = parse(client.get("/dashboard/queue?tier=enterprise").text)
    assert page.find("table", class_="queue", **{"data-rows": "/dashboard/queue/rows?tier=enterprise"})
    assert page.find("script", src="/dashboard/static/queue.js", defer="")
    assert client.get("/dashboard/static/queue.js").status_code == 200


async def test_bulk_claim_claims_each_ticket_through_the_desk_and_comes_back_to_the_same_filters() -> None:
    h = await three_tickets()
    client = dashboard_client(h, viewer())
    form = {"csrf_token": CSRF, "action": "claim", "ticket": ["2", "3"], "back": "tier=enterprise"}
    response = client.post("/dashboard/queue/bulk", data=form)
    assert response.status_code == 303
    location = response.headers["location"]
    assert urlsplit(location).path == "/dashboard/queue"
    assert parse_qs(urlsplit(location).query)["tier"] == ["enterprise"]
    page = parse(client.get(location).text)
    assert "You claimed ticket #2." in page.text and "You claimed ticket #3." in page.text
    for number in (2, 3):
        ticket = await h.store.tickets.get(number)
        assert ticket is not None and ticket.assignee == "discord:mod"
        assert [e.actor for e in await h.store.tickets.events(number) if e.kind == "claimed"] == ["discord:mod"]
    bob = await h.store.tickets.get(1)
    assert bob is not None and bob.assignee is None


async def test_bulk_assign_hands_the_tickets_to_someone_else() -> None:
    h = await three_tickets()
    client = dashboard_client(h, viewer())
    form = {"csrf_token": CSRF, "action": "assign", "ticket": ["1", "2"], "person": "sam"}
    page = parse(client.get(client.post("/dashboard/queue/bulk", data=form).headers["location"]).text)
    assert "#1" in page.text and "#2" in page.text
    for number in (1, 2):
        ticket = await h.store.tickets.get(number)
        assert ticket is not None and ticket.assignee == "discord:sam"
    assert picked(client.get("/dashboard/queue?assignee=discord:sam").text) == [2, 1]


async def test_a_bulk_action_without_tickets_or_by_someone_without_the_role_changes_nothing() -> None:
    h = await three_tickets()
    form = {"csrf_token": CSRF, "action": "claim", "ticket": ["x", "99999999999999999999"]}
    nothing = dashboard_client(h, viewer()).post("/dashboard/queue/bulk", data=form)
    page = parse(dashboard_client(h, viewer()).get(nothing.headers["location"]).text)
    assert "Tick at least one ticket first." in page.text and page.find("p", class_="notice error")
    # Signed in, but their platform identity has no moderator role: the desk refuses, as it would in chat.
    outsider = replace(viewer(user_id="guest"), identity=Identity("discord", "guest", "Guest", frozenset()))
    client = dashboard_client(h, outsider)
    refused = client.post("/dashboard/queue/bulk", data={"csrf_token": CSRF, "action": "claim", "ticket": "1"})
    text = parse(client.get(refused.headers["location"]).text)
    assert text.find("p", class_="notice error")
    ticket = await h.store.tickets.get(1)
    assert ticket is not None and ticket.assignee is None


async def test_words_in_a_link_someone_else_made_are_not_shown() -> None:
    h = await three_tickets()
    client = dashboard_client(h, viewer())
    forged = client.get('/dashboard/queue?said=[["Your session expired, sign in at evil.example",0]]&sig=00')
    assert "evil.example" not in parse(forged.text).text


async def test_a_long_queue_comes_in_pages_of_100_with_the_total() -> None:
    h = make_harness()
    for i in range(105):
        await h.say("the app crashes at boot", user=f"u{i}", thread=f"t{i}")
    client = dashboard_client(h, viewer())
    first = client.get("/dashboard/queue")
    assert len(picked(first.text)) == 100 and "105 tickets, showing 1–100" in parse(first.text).text
    assert parse(first.text).find("a", href="/dashboard/queue?page=2")
    second = client.get("/dashboard/queue?page=2")
    assert len(picked(second.text)) == 5
    everything = await h.store.queue.page(QueueQuery(limit=200), h.clock.now())
    assert picked(first.text) + picked(second.text) == [r.ticket.number for r in everything.rows]
