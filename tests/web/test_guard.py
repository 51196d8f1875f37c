"""The gate in front of every dashboard page: no session, the wrong role, or a POST without its CSRF token."""

from __future__ import annotations

from core.staff.records import StaffRole
from tests.desk_fakes import make_harness
from tests.web_fakes import dashboard_client, viewer


def test_without_a_session_the_dashboard_sends_you_to_sign_in_and_back() -> None:
    client = dashboard_client(make_harness(), None)
    response = client.get("/dashboard/")
    assert response.status_code == 303
    assert response.headers["location"] == "/dashboard/login?next=%2Fdashboard%2F"


def test_the_home_page_opens_the_queue_for_agents_and_the_overview_for_leads() -> None:
    harness = make_harness()
    assert dashboard_client(harness, viewer()).get("/dashboard/").headers["location"] == "/dashboard/queue"
    lead = dashboard_client(harness, viewer(StaffRole.LEAD))
    assert lead.get("/dashboard/").headers["location"] == "/dashboard/overview"


def test_the_stylesheet_is_served_from_the_dashboard_itself() -> None:
    response = dashboard_client(make_harness(), None).get("/dashboard/static/app.css")
    assert response.status_code == 200
    assert "focus-visible" in response.text
