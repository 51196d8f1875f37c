"""An agent's morning in a real browser: the queue, a filter, a ticket, a claim and a reply the customer gets."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from core.staff.records import StaffAccount, StaffRole
from tests.browser.harness import Dashboard, screenshot, wait_for


def row_numbers(driver: webdriver.Chrome) -> list[str]:
    """The ticket numbers in the queue's rows, top to bottom."""
    return [box.get_attribute("value") or "" for box in driver.find_elements(By.CSS_SELECTOR, "#queue-rows input")]


def test_sign_in_filter_the_queue_open_a_ticket_claim_it_and_reply_to_the_customer(
    dashboard: Dashboard,
    driver: webdriver.Chrome,
    signed_in: Callable[[webdriver.Chrome, StaffRole], StaffAccount],
) -> None:
    crash_thread = dashboard.customer_says("the app crashes when I save <b>twice</b>")
    dashboard.clock.advance(timedelta(minutes=90))  # the crash now has 30 minutes left of its first response
    dashboard.customer_says("the whole API is down for us")
    dashboard.settle()

    account = signed_in(driver, StaffRole.AGENT)
    wait_for(driver, lambda: driver.current_url.endswith("/dashboard/queue"))
    assert "the app crashes when I save <b>twice</b>" in driver.find_element(By.ID, "queue-rows").text
    screenshot(driver, "queue")

    assert row_numbers(driver) == ["1", "2"]  # the next deadline first
    assert "First response in 30 min" in driver.find_element(By.ID, "queue-rows").text
    driver.find_element(By.ID, "f-soon").click()
    Select(driver.find_element(By.ID, "f-platform")).select_by_value("slack")
    driver.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]").click()
    wait_for(driver, lambda: "soon=1" in driver.current_url)
    assert row_numbers(driver) == ["1"]

    driver.find_element(By.CSS_SELECTOR, "a[href='/dashboard/tickets/1']").click()
    wait_for(driver, lambda: "/dashboard/tickets/1" in driver.current_url)
    driver.find_element(By.ID, "action-claim").click()
    wait_for(driver, lambda: "You claimed ticket #1." in driver.find_element(By.CSS_SELECTOR, ".said").text)
    claimed = dashboard.call(dashboard.store.tickets.get(1))
    assert claimed is not None and claimed.assignee == account.identity.actor

    answer = "Thanks, Ana: update to 2.4.1 and saving works again."
    driver.find_element(By.ID, "reply-text").send_keys(answer)
    driver.find_element(By.ID, "send-reply").click()
    wait_for(driver, lambda: "Sent to the customer on ticket #1" in driver.find_element(By.CSS_SELECTOR, ".said").text)

    # The customer got it on Slack, in their own thread, through the (fake) Slack Web API.
    delivered = [p for p in dashboard.posts() if answer in str(p.get("text", ""))]
    assert len(delivered) == 1 and delivered[0].get("thread_ts") == crash_thread
    log = driver.find_element(By.CSS_SELECTOR, "table.audit").text
    assert "claimed" in log and "replied to the customer" in log
    assert answer in driver.find_element(By.CSS_SELECTOR, "section.conversation").text
    screenshot(driver, "ticket")


def test_the_queue_shows_a_new_ticket_without_a_reload_and_keeps_what_was_ticked(
    dashboard: Dashboard,
    driver: webdriver.Chrome,
    signed_in: Callable[[webdriver.Chrome, StaffRole], StaffAccount],
) -> None:
    dashboard.customer_says("the app crashes at boot")
    signed_in(driver, StaffRole.AGENT)
    wait_for(driver, lambda: driver.current_url.endswith("/dashboard/queue"))
    assert row_numbers(driver) == ["1"]
    driver.find_element(By.ID, "pick-1").click()
    driver.execute_script("window.helplineStayed = true")  # gone if the page reloads
    dashboard.customer_says("the whole API is down for us")
    wait_for(driver, lambda: len(row_numbers(driver)) == 2, timeout=25)  # polled every 15 s
    assert driver.execute_script("return window.helplineStayed") is True
    assert driver.find_element(By.ID, "pick-1").is_selected()
    assert "2 tickets" in driver.find_element(By.ID, "queue-count").text
