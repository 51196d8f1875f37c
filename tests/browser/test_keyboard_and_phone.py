"""The queue and the ticket with the keyboard alone, and at a phone's width, in a real browser."""

from __future__ import annotations

from collections.abc import Callable

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webelement import WebElement

from core.staff.records import StaffAccount, StaffRole
from tests.browser.harness import PASSWORD, Dashboard, wait_for


def _tab_to(driver: webdriver.Chrome, wanted: Callable[[WebElement], bool], *, most: int = 80) -> WebElement:
    """Press Tab until the focused element is the one wanted (as a keyboard user moves through the page)."""
    for _ in range(most):
        driver.switch_to.active_element.send_keys(Keys.TAB)
        focused = driver.switch_to.active_element
        if wanted(focused):
            return focused
    raise AssertionError("the element was never reached with Tab")


def test_an_agent_signs_in_opens_a_ticket_and_claims_it_with_the_keyboard_alone(
    dashboard: Dashboard, driver: webdriver.Chrome
) -> None:
    dashboard.customer_says("the app crashes when I save")
    dashboard.settle()
    account = dashboard.add_account("kim")
    driver.get(f"{dashboard.url}/dashboard/login")
    _tab_to(driver, lambda e: e.get_attribute("id") == "username").send_keys("kim")
    _tab_to(driver, lambda e: e.get_attribute("id") == "password").send_keys(PASSWORD + Keys.ENTER)
    wait_for(driver, lambda: driver.current_url.endswith("/dashboard/queue"))

    link = _tab_to(driver, lambda e: e.tag_name == "a" and (e.get_attribute("href") or "").endswith("/tickets/1"))
    link.send_keys(Keys.ENTER)
    wait_for(driver, lambda: driver.current_url.endswith("/dashboard/tickets/1"))
    claim = _tab_to(driver, lambda e: e.get_attribute("id") == "action-claim")
    outline = claim.value_of_css_property("outline-style")
    claim.send_keys(Keys.ENTER)
    wait_for(driver, lambda: "You claimed ticket #1." in driver.find_element(By.CSS_SELECTOR, ".said").text)
    claimed = dashboard.call(dashboard.store.tickets.get(1))
    assert claimed is not None and claimed.assignee == account.identity.actor
    assert outline != "none"  # the focused button showed where the keyboard was


def test_the_queue_and_the_ticket_fit_a_phone_screen(
    dashboard: Dashboard,
    driver: webdriver.Chrome,
    signed_in: Callable[[webdriver.Chrome, StaffRole], StaffAccount],
) -> None:
    dashboard.customer_says("a very long subject " + "without-any-break-" * 20)
    dashboard.settle()
    signed_in(driver, StaffRole.AGENT)
    driver.set_window_size(390, 844)
    for path in ("queue", "tickets/1"):
        driver.get(f"{dashboard.url}/dashboard/{path}")
        page_width, screen = driver.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
        assert page_width <= screen, path  # wide tables scroll inside their own box, long words wrap
