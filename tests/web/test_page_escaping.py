"""Text from customers and staff is text on every page: no markup of theirs becomes an element or an attribute."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.desk_fakes import Harness, make_harness
from tests.web.page_html import injected, parse
from tests.web_fakes import CSRF, dashboard_client, viewer

pytestmark = pytest.mark.asyncio

SCRIPT = "<script>alert('subject')</script> the app crashes"
IMAGE = 'the app crashes <img src=x onerror="alert(1)">'
LINK = '<a href="javascript:alert(2)">click me</a> the app crashes'
BROKEN_OUT = '"><svg onload=alert(3)> the app crashes'


async def hostile() -> Harness:
    """Tickets whose subjects are markup, and a reply, a note and an assignee made of markup too."""
    h = make_harness(tier="enterprise")
    for i, text in enumerate((SCRIPT, IMAGE, LINK, BROKEN_OUT)):
        await h.say(text, user=f"u{i}", thread=f"t{i}")
    h.clock.advance(timedelta(minutes=1))
    client = dashboard_client(h, viewer())
    client.post("/dashboard/tickets/1/reply", data={"csrf_token": CSRF, "text": IMAGE})
    client.post("/dashboard/tickets/1/note", data={"csrf_token": CSRF, "text": LINK})
    client.post("/dashboard/tickets/2/assign", data={"csrf_token": CSRF, "person": '<img src=x onerror="alert(4)">'})
    return h


@pytest.mark.parametrize(
    "path",
    [
        "/dashboard/queue",
        "/dashboard/queue/rows",
        "/dashboard/tickets/1",
        "/dashboard/tickets/2",
        "/dashboard/tickets/3",
        "/dashboard/tickets/4",
    ],
)
async def test_markup_in_subjects_messages_and_names_renders_as_text(path: str) -> None:
    h = await hostile()
    response = dashboard_client(h, viewer()).get(path)
    assert response.status_code == 200
    page = parse(response.text)
    assert injected(page) == []
    assert not page.find("svg") and not page.find("a", href="javascript:alert(2)")


async def test_the_words_still_read_as_the_customer_wrote_them() -> None:
    h = await hostile()
    client = dashboard_client(h, viewer())
    queue = parse(client.get("/dashboard/queue").text)
    for text in (SCRIPT, IMAGE, LINK, BROKEN_OUT):
        assert text in queue.text
    ticket = parse(client.get("/dashboard/tickets/1").text)
    assert SCRIPT in ticket.text and IMAGE in ticket.text and LINK in ticket.text


async def test_markup_in_the_desks_reply_shown_after_an_action_is_text() -> None:
    h = await hostile()
    client = dashboard_client(h, viewer())
    moved = client.post("/dashboard/tickets/2/assign", data={"csrf_token": CSRF, "person": "<script>x()</script>"})
    page = parse(client.get(moved.headers["location"]).text)
    assert injected(page) == []
    assert "<script>x()</script>" in page.text
