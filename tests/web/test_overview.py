"""The overview: a lead sees the period's numbers as the report computes them, with the change, and the charts."""

from __future__ import annotations

import asyncio
import html
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from bots.reports import figures as f
from core.analytics.metrics import ReportPolicy, build_report, report_dict, ticket_rows
from core.analytics.records import ReportQuery
from core.staff.records import StaffRole
from tests.desk_fakes import Harness, make_harness
from tests.web.numbers_world import FROM, PERIOD, TO, busy_harness, card, ticket_numbers, words
from tests.web_fakes import dashboard_client, viewer


@pytest.fixture(scope="module")
def harness() -> Harness:
    return busy_harness()


def _doc(harness: Harness, query: ReportQuery) -> dict:  # type: ignore[type-arg]
    report = asyncio.run(build_report(harness.store, harness.tiers, query, ReportPolicy(), harness.clock.now()))
    return report_dict(report)


def _link(markup: str) -> str:
    found = re.search(r'href="([^"]+)"', markup)
    assert found is not None, markup
    return html.unescape(found.group(1))


def _signed(delta: float, shown: str) -> str:
    return ("+" if delta > 0 else "−") + shown


def test_the_overview_shows_the_reports_numbers_and_their_change(harness: Harness) -> None:
    page = dashboard_client(harness, viewer(StaffRole.LEAD)).get("/dashboard/overview", params=PERIOD)
    assert page.status_code == 200
    now, before = _doc(harness, ReportQuery(FROM, TO)), _doc(harness, ReportQuery(FROM - (TO - FROM), FROM))
    assert now["tickets"]["opened"] and before["tickets"]["opened"]  # both halves have tickets

    opened = words(card(page.text, "opened"))
    delta = now["tickets"]["opened"] - before["tickets"]["opened"]
    assert f"Tickets opened {now['tickets']['opened']} " in opened
    assert (_signed(delta, str(abs(delta))) if delta else "no change") in opened

    p50 = words(card(page.text, "first_response_p50"))
    assert f.seconds(now["first_response"]["p50_seconds"]) in p50
    assert f"{now['first_response']['count']} tickets measured" in p50
    change = now["first_response"]["p50_seconds"] - before["first_response"]["p50_seconds"]
    assert (_signed(change, f.seconds(abs(change))) if change else "no change") in p50

    sla = words(card(page.text, "sla_resolution"))
    part = now["sla"]["resolution"]
    assert f.share(part["compliance"]) in sla
    assert f"{part['met']} of {part['met'] + part['missed']} met" in sla


def test_a_figure_with_nothing_on_one_side_says_no_data(harness: Harness) -> None:
    page = dashboard_client(harness, viewer(StaffRole.LEAD)).get("/dashboard/overview", params=PERIOD).text
    # No CSAT survey was answered in the simulation: nothing to compare.
    assert "no data" in words(card(page, "csat"))
    assert "—" in words(card(page, "csat"))


def test_each_number_links_the_tickets_behind_it(harness: Harness) -> None:
    client = dashboard_client(harness, viewer(StaffRole.LEAD))
    page = client.get("/dashboard/overview", params=PERIOD).text
    rows = ticket_rows(asyncio.run(build_report(harness.store, harness.tiers, ReportQuery(FROM, TO), ReportPolicy(),
                                                harness.clock.now())))  # fmt: skip
    expected = {
        "opened": [r["ticket"] for r in rows],
        "sla_resolution": [r["ticket"] for r in rows if r["sla_resolution"] in ("met", "missed")],
        "fcr": [r["ticket"] for r in rows if r["first_contact"] is not None],
    }
    assert all(expected.values())  # every list has tickets to check
    for key, numbers in expected.items():
        link = _link(card(page, key))
        asked = parse_qs(urlsplit(link).query)
        assert asked["from"] == [FROM.isoformat()] and asked["to"] == [TO.isoformat()]
        listed = client.get(link)
        assert listed.status_code == 200
        assert ticket_numbers(listed.text) == numbers, key


def test_the_sla_missed_list_holds_exactly_the_tickets_that_missed_a_target(harness: Harness) -> None:
    client = dashboard_client(harness, viewer(StaffRole.LEAD))
    rows = ticket_rows(asyncio.run(build_report(harness.store, harness.tiers, ReportQuery(FROM, TO), ReportPolicy(),
                                                harness.clock.now())))  # fmt: skip
    missed = [r["ticket"] for r in rows if "missed" in (r["sla_first_response"], r["sla_resolution"])]
    assert missed
    listed = client.get("/dashboard/reports/tickets", params={**PERIOD, "figure": "sla_missed"})
    assert ticket_numbers(listed.text) == missed
    assert f"{len(missed)} ticket(s)" in listed.text


def test_the_charts_are_inline_svg_that_the_pages_strict_policy_lets_render(harness: Harness) -> None:
    page = dashboard_client(harness, viewer(StaffRole.LEAD)).get("/dashboard/overview", params=PERIOD)
    assert "style-src 'self'" in page.headers["content-security-policy"]
    svgs = re.findall(r"<svg.*?</svg>", page.text, re.S)
    assert len(svgs) >= 2  # volume and first response at least
    for svg in svgs:
        assert "<script" not in svg and "<style" not in svg and "style=" not in svg
        assert not re.search(r"\son\w+=", svg)  # no event handlers
    assert 'id="chart-volume"' in page.text


def test_the_recommendations_are_shown(harness: Harness) -> None:
    page = dashboard_client(harness, viewer(StaffRole.LEAD)).get("/dashboard/overview", params=PERIOD).text
    doc = _doc(harness, ReportQuery(FROM, TO))
    for item in doc["recommendations"]:
        assert html.escape(item["message"], quote=False) in page


def test_agents_get_a_refusal_on_every_numbers_page(harness: Harness) -> None:
    agent = dashboard_client(harness, viewer(StaffRole.AGENT))
    for path in ("/dashboard/overview", "/dashboard/reports", "/dashboard/reports.csv", "/dashboard/reports.html",
                 "/dashboard/reports/tickets?figure=opened", "/dashboard/staff"):  # fmt: skip
        response = agent.get(path)
        assert response.status_code == 403, path
        assert "This page is for leads" in response.text


def test_a_bad_period_is_answered_in_words(harness: Harness) -> None:
    response = dashboard_client(harness, viewer(StaffRole.LEAD)).get("/dashboard/overview?since=fortnight")
    assert response.status_code == 400
    assert "“since”: 'fortnight' is not a duration" in words(response.text)
    assert "Traceback" not in response.text


def test_the_csat_numbers_link_the_rated_tickets() -> None:
    harness = make_harness(tier="enterprise")

    async def rated() -> None:
        for thread, score in (("t1", 5), ("t2", 2)):
            [*_, opened] = await harness.say("the whole API is down", thread=thread)
            number = opened.ticket
            await harness.mod(f"claim {number}")
            await harness.mod(f"resolve {number}")
            await harness.say("", choice=f"rate:{number}:{score}", thread=thread)

    asyncio.run(rated())
    harness.clock.advance(timedelta(minutes=1))  # a period ends before its end: "now" moves on
    client = dashboard_client(harness, viewer(StaffRole.LEAD))
    page = client.get("/dashboard/overview?since=1d").text
    assert "3.5" in words(card(page, "csat")) and "2 responses" in words(card(page, "csat"))
    links = {key: _link(card(page, key)) for key in ("csat", "satisfied")}
    assert ticket_numbers(client.get(links["csat"]).text) == [1, 2]
    satisfied = client.get(links["satisfied"])
    assert ticket_numbers(satisfied.text) == [1]
    assert "Tickets rated 4 or 5 in their CSAT survey" in satisfied.text


def test_the_overview_is_kept_for_the_minute_and_then_counts_again() -> None:
    harness = make_harness(tier="enterprise")
    asyncio.run(harness.say("the whole API is down", thread="t1"))
    harness.clock.advance(timedelta(seconds=1))
    client = dashboard_client(harness, viewer(StaffRole.LEAD))
    first = words(card(client.get("/dashboard/overview?since=1d").text, "opened"))
    assert first.startswith("Tickets opened 1 ")

    asyncio.run(harness.say("the whole API is down again", thread="t2"))
    harness.clock.advance(timedelta(seconds=1))  # the same minute: the same figures, drawn once
    assert words(card(client.get("/dashboard/overview?since=1d").text, "opened")) == first
    harness.clock.advance(timedelta(minutes=1))
    assert words(card(client.get("/dashboard/overview?since=1d").text, "opened")).startswith("Tickets opened 2 ")
