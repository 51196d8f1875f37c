"""A moderator moves a feature request on in a real browser: the Requests list, its search, the request's page,
and the status form that runs the chat's ``request status``."""

from __future__ import annotations

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from core.messages import Address
from core.requests.records import NewRequest, Requester, RequestStatus
from core.staff.records import StaffRole
from tests.browser.harness import Dashboard, sign_in, wait_for
from tests.desk_fakes import START

TITLE = "Dark <i>mode</i> for the dashboard"


def _file(dashboard: Dashboard, title: str, user: str) -> int:
    who = Requester(f"slack:{user}", user.title(), "", "community", Address("slack", "T1", "C0HELPDESK", "1.1"))
    store = dashboard.store.feature_requests
    draft = dashboard.call(store.draft(NewRequest(title, f"{title}, please.", who, START)))
    done = dashboard.call(store.file_draft(draft.id, who.identity))
    assert done is not None
    return done[0].number


def test_a_moderator_finds_a_request_and_plans_it_with_a_note(dashboard: Dashboard, driver: webdriver.Chrome) -> None:
    dark = _file(dashboard, TITLE, "U0ANA")
    _file(dashboard, "Export invoices as CSV", "U0BOB")
    sign_in(driver, dashboard, StaffRole.AGENT)

    driver.find_element(By.LINK_TEXT, "Requests").click()
    wait_for(driver, lambda: driver.current_url.endswith("/dashboard/requests"))
    assert TITLE in driver.find_element(By.CSS_SELECTOR, "table.requests").text  # escaped, shown as typed
    driver.find_element(By.ID, "r-q").send_keys("dark")
    driver.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]").click()
    wait_for(driver, lambda: "q=dark" in driver.current_url)
    listed = driver.find_element(By.CSS_SELECTOR, "table.requests").text
    assert TITLE in listed and "Export invoices" not in listed

    driver.find_element(By.CSS_SELECTOR, f"a[href='/dashboard/requests/{dark}']").click()
    wait_for(driver, lambda: driver.current_url.endswith(f"/dashboard/requests/{dark}"))
    assert "1 vote" in driver.find_element(By.ID, "request-numbers").text
    Select(driver.find_element(By.ID, "status-new")).select_by_value("planned")
    driver.find_element(By.ID, "status-note").send_keys("In the <May> release")
    driver.find_element(By.ID, "action-status").click()
    wait_for(driver, lambda: driver.find_elements(By.CSS_SELECTOR, ".said"))
    said = driver.find_element(By.CSS_SELECTOR, ".said").text
    assert f"Feature request #{dark} is now planned (was open); 1 person will be told." in said
    assert driver.find_element(By.ID, "request-status").text == "planned"
    assert "open → planned by dashboard:agent: In the <May> release" in driver.find_element(By.ID, "history").text
    request = dashboard.call(dashboard.store.feature_requests.get(dark))
    assert request is not None and request.status is RequestStatus.PLANNED
