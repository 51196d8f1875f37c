"""A lead's morning in a real browser: the overview and its charts, a number's tickets, report, knowledge, staff."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from core.staff.records import StaffAccount, StaffRole
from tests.browser.harness import Dashboard, screenshot, wait_for

QUESTIONS = ("my app keeps crashing", "the service is down for us", "my invoice is wrong", "crash on login")


def _busy(dashboard: Dashboard) -> None:
    """A few customers write in over the morning."""
    for text in QUESTIONS:
        dashboard.customer_says(text)
        dashboard.clock.advance(timedelta(minutes=40))
    dashboard.settle()


def _console_errors(driver: webdriver.Chrome) -> list[str]:
    """What the page logged as errors (a style or script the page's policy refused shows up here)."""
    entries = driver.get_log("browser")  # type: ignore[no-untyped-call]  # selenium leaves it untyped
    logged = [entry["message"] for entry in entries if entry["level"] == "SEVERE"]
    return [message for message in logged if "favicon.ico" not in message]  # the browser's own guess


def test_a_lead_reads_the_numbers_and_manages_staff(
    dashboard: Dashboard,
    driver: webdriver.Chrome,
    signed_in: Callable[[webdriver.Chrome, StaffRole], StaffAccount],
) -> None:
    _busy(dashboard)
    dashboard.add_account("bo", StaffRole.AGENT)
    signed_in(driver, StaffRole.LEAD)
    wait_for(driver, lambda: driver.current_url.endswith("/dashboard/overview"))

    tickets = dashboard.call(dashboard.store.tickets.list_tickets(active_only=False, limit=100))
    assert len(tickets) >= 3  # most questions became tickets
    opened = driver.find_element(By.CSS_SELECTOR, "#figure-opened .value a")
    assert opened.text == str(len(tickets))
    chart = driver.find_element(By.CSS_SELECTOR, "#chart-volume svg")
    assert chart.size["width"] > 200 and chart.size["height"] > 100  # drawn, and within the page's policy
    assert not _console_errors(driver)
    screenshot(driver, "overview")

    opened.click()
    wait_for(driver, lambda: "/dashboard/reports/tickets" in driver.current_url)
    listed = driver.find_elements(By.CSS_SELECTOR, "table.report-tickets tbody a[href^='/dashboard/tickets/']")
    assert sorted(int(str(a.text).lstrip("#")) for a in listed) == sorted(t.number for t in tickets)

    driver.get(f"{dashboard.url}/dashboard/reports")
    Select(driver.find_element(By.ID, "f-platform")).select_by_value("slack")
    driver.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]").click()
    wait_for(driver, lambda: "platform=slack" in driver.current_url)
    assert "platform slack" in driver.find_element(By.TAG_NAME, "main").text
    assert driver.find_elements(By.CSS_SELECTOR, ".report-section table")
    screenshot(driver, "reports")

    driver.get(f"{dashboard.url}/dashboard/reports?tier=gold")
    assert "“tier” 'gold' is unknown" in driver.find_element(By.CSS_SELECTOR, "[role=alert]").text

    driver.get(f"{dashboard.url}/dashboard/knowledge")
    assert driver.find_element(By.ID, "k-q").get_attribute("type") == "search"
    screenshot(driver, "knowledge")

    driver.get(f"{dashboard.url}/dashboard/staff")
    driver.find_element(By.CSS_SELECTOR, "button[aria-label='Disable bo']").click()
    wait_for(driver, lambda: "done=disabled" in driver.current_url)
    assert "Disabled bo" in driver.find_element(By.CSS_SELECTOR, "[role=status]").text
    assert not driver.find_elements(By.CSS_SELECTOR, "button[aria-label='Disable lead']")  # not themselves
    account = dashboard.call(dashboard.staff.get("bo"))
    assert account is not None and account.disabled
    screenshot(driver, "staff")


def test_the_numbers_pages_fit_a_phone_screen(
    dashboard: Dashboard,
    driver: webdriver.Chrome,
    signed_in: Callable[[webdriver.Chrome, StaffRole], StaffAccount],
) -> None:
    _busy(dashboard)
    signed_in(driver, StaffRole.LEAD)
    driver.set_window_size(390, 844)
    for path in ("overview", "reports", "reports/tickets?figure=opened", "knowledge", "staff"):
        driver.get(f"{dashboard.url}/dashboard/{path}")
        page_width, screen = driver.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
        assert page_width <= screen, path  # wide tables and charts scroll inside their own box
