"""The reports page: the report's tables with its filters, CSV and HTML downloads, and mistakes in words."""

from __future__ import annotations

import asyncio
import csv
import io

import pytest

from core.analytics.metrics import TICKET_COLUMNS, ReportPolicy, build_report, ticket_rows
from core.analytics.records import ReportQuery
from core.staff.records import StaffRole
from tests.desk_fakes import Harness
from tests.web.numbers_world import FROM, PERIOD, TO, busy_harness, words
from tests.web_fakes import dashboard_client, viewer


@pytest.fixture(scope="module")
def harness() -> Harness:
    return busy_harness()


def _rows(harness: Harness, query: ReportQuery) -> list[dict[str, object]]:
    report = asyncio.run(build_report(harness.store, harness.tiers, query, ReportPolicy(), harness.clock.now()))
    return ticket_rows(report)


def test_the_report_page_shows_the_summary_tables_for_the_period(harness: Harness) -> None:
    response = dashboard_client(harness, viewer(StaffRole.LEAD)).get("/dashboard/reports", params=PERIOD)
    assert response.status_code == 200
    text = words(response.text)
    opened = len(_rows(harness, ReportQuery(FROM, TO)))
    assert f"Opened in the period {opened}" in text
    for title in (
        "Response times",
        "SLA compliance",
        "Resolution quality",
        "Backlog at the end of the period",
        "QA quality",
    ):
        assert title in text
    assert "/dashboard/reports.csv?" in response.text and "/dashboard/reports.html?" in response.text


def test_the_csv_download_has_one_row_per_ticket_of_the_filtered_report(harness: Harness) -> None:
    response = dashboard_client(harness, viewer(StaffRole.LEAD)).get(
        "/dashboard/reports.csv", params={**PERIOD, "platform": "discord", "tier": "enterprise"}
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"].startswith('attachment; filename="helpline-report-')
    table = list(csv.reader(io.StringIO(response.text)))
    assert tuple(table[0]) == TICKET_COLUMNS
    expected = _rows(harness, ReportQuery(FROM, TO, platform="discord", tier="enterprise"))
    assert 0 < len(expected) < len(_rows(harness, ReportQuery(FROM, TO)))  # the filters narrowed it
    assert [int(row[0]) for row in table[1:]] == [row["ticket"] for row in expected]


def test_the_html_download_is_the_offline_report_page(harness: Harness) -> None:
    response = dashboard_client(harness, viewer(StaffRole.LEAD)).get("/dashboard/reports.html", params=PERIOD)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["content-disposition"].endswith('.html"')
    assert "<h1>Helpline report</h1>" in response.text
    assert "<svg" in response.text


@pytest.mark.parametrize(
    ("params", "said"),
    [
        ({"tier": "gold"}, "“tier” 'gold' is unknown"),
        ({"platform": "irc"}, "“platform” 'irc' is unknown"),
        ({"from": "2026-13-45"}, "“from” '2026-13-45' is not a date like 2026-11-01"),
        ({"from": "2026-11-24", "to": "2026-11-20"}, "is not after “from”"),
        ({"since": "7d", "from": "2026-11-01"}, "“since” and “from”/“to” both give the period"),
    ],
)
def test_bad_filters_show_the_form_again_with_the_reason(harness: Harness, params: dict[str, str], said: str) -> None:
    client = dashboard_client(harness, viewer(StaffRole.LEAD))
    for path in ("/dashboard/reports", "/dashboard/reports.csv"):
        response = client.get(path, params=params)
        assert response.status_code == 400
        assert response.headers["content-type"].startswith("text/html")
        assert said in words(response.text), words(response.text)
        assert '<form class="filters"' in response.text
