"""The ticket page's intent select: the same ``intent N NAME`` desk command a moderator types in chat."""

from __future__ import annotations

import pytest

from tests.web.page_html import parse
from tests.web.test_ticket_page import act, crash_ticket, log_kinds, one
from tests.web_fakes import CSRF, dashboard_client, viewer

pytestmark = pytest.mark.asyncio


async def test_the_select_lists_the_catalogs_intents_with_the_tickets_own_chosen() -> None:
    h = await crash_ticket()  # read as a bug report
    page = parse(dashboard_client(h, viewer()).get("/dashboard/tickets/1").text)
    options = [e.attrs["value"] for e in page.find("option") if e.attrs.get("value") in h.desk.intent_names]
    assert options == list(h.desk.intent_names) and "billing" in options
    [chosen] = [e for e in page.find("option") if "selected" in e.attrs and e.attrs["value"] in options]
    assert chosen.attrs["value"] == "bug_report"
    assert page.find("form", action="/dashboard/tickets/1/intent") and page.find("select", id="set-intent")


async def test_choosing_an_intent_corrects_the_ticket_and_keeps_its_question_as_an_example() -> None:
    h = await crash_ticket()
    page = act(h, "intent", intent="performance_issue")
    assert "Ticket #1 is now performance_issue (was bug_report)" in page.text
    assert (await one(h)).intent == "performance_issue"
    assert "mod on Discord corrected the intent (bug_report → performance_issue)" in page.text
    [example] = await h.store.intent_examples.examples()
    assert (example.text, example.intent, example.actor) == (
        "the app crashes at boot",
        "performance_issue",
        "discord:mod",
    )
    [chosen] = [e for e in page.find("option", value="performance_issue") if "selected" in e.attrs]
    assert chosen


async def test_an_unknown_or_missing_intent_is_refused_and_changes_nothing() -> None:
    h = await crash_ticket()
    client = dashboard_client(h, viewer())
    sent = client.post("/dashboard/tickets/1/intent", data={"csrf_token": CSRF, "intent": "<script>x</script>"})
    html = client.get(sent.headers["location"]).text
    assert "&lt;script&gt;x&lt;/script&gt;" in html and "<script>x" not in html  # shown as text, never run
    page = parse(html)
    assert 'There is no intent "<script>x</script>"' in page.text and page.find("p", class_="notice error")
    page = act(h, "intent", intent="")
    assert "Choose the ticket's intent." in page.text
    assert "intent" not in await log_kinds(h) and await h.store.intent_examples.examples() == []
    assert (await one(h)).intent == "bug_report"


async def test_the_action_without_the_csrf_token_is_refused() -> None:
    h = await crash_ticket()
    response = dashboard_client(h, viewer()).post("/dashboard/tickets/1/intent", data={"intent": "billing"})
    assert response.status_code == 403 and (await one(h)).intent == "bug_report"
