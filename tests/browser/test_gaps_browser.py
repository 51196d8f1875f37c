"""An agent finds what the docs are missing in a real browser: the Gaps page, reached from the navigation."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from core.staff.records import StaffAccount, StaffRole
from tests.browser.harness import Dashboard, wait_for

DARK = ("is there a dark mode", "dark mode for the dashboard?", "please add a dark mode")


def test_an_agent_reads_the_gaps_the_customers_questions_form(
    dashboard: Dashboard,
    driver: webdriver.Chrome,
    signed_in: Callable[[webdriver.Chrome, StaffRole], StaffAccount],
) -> None:
    for text in DARK:  # the desk is not sure about any of them
        dashboard.customer_says(text)
        dashboard.clock.advance(timedelta(minutes=5))
    dashboard.settle()
    signed_in(driver, StaffRole.AGENT)
    driver.find_element(By.LINK_TEXT, "Gaps").click()
    wait_for(driver, lambda: driver.current_url.endswith("/dashboard/gaps"))
    assert driver.find_element(By.CSS_SELECTOR, "nav a[aria-current=page]").text == "Gaps"
    [row] = driver.find_elements(By.CSS_SELECTOR, "table.gaps tr.gap")
    shown = [li.text for li in row.find_elements(By.CSS_SELECTOR, "ul.representatives li")]
    assert sorted(shown) == sorted(DARK)
    cells = [td.text for td in row.find_elements(By.TAG_NAME, "td")]
    assert cells[2:4] == ["3", "1"]  # three questions, from one person (the same Slack customer)

    Select(driver.find_element(By.ID, "g-since")).select_by_value("7d")
    driver.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]").click()
    wait_for(driver, lambda: "since=7d" in driver.current_url)
    assert len(driver.find_elements(By.CSS_SELECTOR, "table.gaps tr.gap")) == 1
