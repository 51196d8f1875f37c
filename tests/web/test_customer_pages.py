"""The Customers pages: every account with its latest health, filtered and sorted, and one account's page with
its people, tickets, SLA record, CSAT and NPS, health parts and timeline; hostile names stay text."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from core.customers.health_history import HealthDay
from core.customers.records import Account, AccountEntry, PersonDraft, Usage
from core.messages import Address
from core.satisfaction.records import NewSurvey, SurveyKind
from tests.desk_fakes import START, Harness, make_harness
from tests.web.page_html import Parsed, injected, parse
from tests.web_fakes import dashboard_client, viewer

pytestmark = pytest.mark.asyncio

HOSTILE = '<script>alert("acct")</script> Acme & <b>Sons</b>'
TODAY = START.date()


def day(account: str, days_ago: int, score: int, category: str) -> HealthDay:
    """A kept score of ``days_ago`` days before the harness's start."""
    at = START - timedelta(days=days_ago)
    return HealthDay(account, at.date(), score, category, (), at)


async def world() -> Harness:
    """Acme (enterprise, Ana on Discord with an open ticket, declining health) and Globex (pro, healthy)."""
    h = make_harness(tier="enterprise")
    acme = Account("acme", HOSTILE, "enterprise", csm="slack:U0CSM", renewal_date=date(2027, 1, 15), seats=10)
    globex = Account("globex", "Globex", "professional", renewal_date=date(2026, 12, 20))
    await h.store.customers.save(
        [AccountEntry(acme, (PersonDraft("Ana <i>ops</i>", ("discord:ana",)),)), AccountEntry(globex)], START
    )
    await h.store.links.link("discord:ana", "slack:U0ANA", "discord:mo", START - timedelta(days=2))
    for h_day in (day("acme", 10, 80, "Good"), day("acme", 1, 60, "At risk"), day("globex", 1, 90, "Healthy")):
        await h.store.health.add(h_day)
    await h.store.customers.record_usage(Usage("acme", START - timedelta(days=1), active_users=5, seats=8))
    await h.say("the app crashes on login <img src=x onerror=alert(1)>", user="ana", thread="t1")
    where = Address("discord", "g", "c", "t1")
    survey = await h.store.surveys.send(
        NewSurvey(SurveyKind.CSAT, 1, "discord", "ana", where, "enterprise", None, START - timedelta(hours=1))
    )
    assert survey is not None
    await h.store.surveys.answer(survey.id, 5, None, START - timedelta(hours=1))
    return h


def get(h: Harness, path: str) -> Parsed:
    response = dashboard_client(h, viewer()).get(path)
    assert response.status_code == 200, response.text
    return parse(response.text)


async def test_the_list_shows_each_accounts_tier_csm_health_trend_renewal_and_open_tickets() -> None:
    h = await world()
    page = get(h, "/dashboard/customers")
    assert page.find("a", href="/dashboard/customers/acme") and page.find("a", href="/dashboard/customers/globex")
    assert "enterprise slack:U0CSM 60 At risk" in page.text and "declining 2027-01-15 1" in page.text
    assert "Globex globex professional — 90 Healthy" in page.text
    assert page.text.index("Acme") < page.text.index("Globex")  # by name
    assert page.find("a", href="/dashboard/customers")  # in the navigation, for an agent too


async def test_the_list_filters_by_tier_and_category_and_sorts_by_any_column() -> None:
    h = await world()
    pro = get(h, "/dashboard/customers?tier=professional")
    assert "Globex" in pro.text and "Acme" not in pro.text
    risky = get(h, "/dashboard/customers?category=At+risk")
    assert "Acme" in risky.text and "Globex" not in risky.text
    renewal = get(h, "/dashboard/customers?sort=renewal")
    assert renewal.text.index("Globex") < renewal.text.index("Acme")  # 20 December before 15 January
    healthy_last = get(h, "/dashboard/customers?sort=health")
    assert healthy_last.text.index("Acme") < healthy_last.text.index("Globex")
    nothing = get(h, "/dashboard/customers?tier=professional&category=Critical")
    assert "No account matches these filters." in nothing.text


async def test_a_filter_that_is_not_understood_says_so_and_lists_everything() -> None:
    h = await world()
    page = get(h, "/dashboard/customers?tier=platinum&sort=<script>")
    assert "No tier is named 'platinum'; showing every tier." in page.text
    assert "The list cannot be sorted by '<script>'; sorted by name." in page.text
    assert "Acme" in page.text and "Globex" in page.text and not injected(page)


async def test_without_accounts_the_list_says_how_to_add_them() -> None:
    page = get(make_harness(), "/dashboard/customers")
    assert "No customer accounts yet. Add them with helpline customers import FILE" in page.text


async def test_the_account_page_shows_people_tickets_sla_satisfaction_health_parts_and_timeline() -> None:
    h = await world()
    page = get(h, "/dashboard/customers/acme")
    assert "Ana <i>ops</i>: discord:ana , slack:U0ANA" in page.text
    assert page.find("a", href="/dashboard/tickets/1") and "Open tickets (1)" in page.text
    assert "No resolved or closed tickets yet." in page.text
    assert "1 ticket: 1 kept every deadline, 0 missed one; 0 escalations." in page.text
    assert "CSAT: 1 of 1 answers satisfied (100 %)" in page.text and "NPS: no answers" in page.text
    for part, weight in (("usage", 30), ("engagement", 25), ("support", 20), ("satisfaction", 15), ("growth", 10)):
        assert page.find("tr", id=f"part-{part}") and f"{weight} % " in page.text
    assert "usage 50 30 % 5 active users of 10 seats" in page.text
    assert "growth no data 10 % fewer than two usage reports with seats in use" in page.text
    assert "link discord:mo linked discord:ana to slack:U0ANA" in page.text
    assert "health now 60 At risk (was 80 Good)" in page.text and "health scored 80 Good" in page.text
    assert not injected(page)


async def test_an_account_with_nobody_and_nothing_says_so_in_words() -> None:
    h = await world()
    page = get(h, "/dashboard/customers/globex")
    assert "Nobody is listed in this account yet" in page.text and "No open tickets." in page.text
    assert "No tickets in the last 30 days." in page.text and "CSAT: no answers" in page.text
    assert "No data" in page.text  # a score without a single part has no category


async def test_a_hostile_account_name_is_text_on_the_list_and_its_page() -> None:
    h = await world()
    for path in ("/dashboard/customers", "/dashboard/customers/acme"):
        page = get(h, path)
        assert HOSTILE in page.text and not injected(page) and not page.find("b")


async def test_an_unknown_or_malformed_account_is_a_404_and_no_session_signs_in_first() -> None:
    h = await world()
    client = dashboard_client(h, viewer())
    for path in ("/dashboard/customers/nobody", "/dashboard/customers/%3Cscript%3E"):
        missing = client.get(path)
        assert missing.status_code == 404 and "There is no account" in missing.text
        assert not injected(parse(missing.text))
    anonymous = dashboard_client(h, None).get("/dashboard/customers/acme")
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/dashboard/login?next=")
