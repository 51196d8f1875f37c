"""Correcting a ticket's intent from the dashboard in a real browser: the select runs the desk's ``intent`` command."""

from __future__ import annotations

from collections.abc import Callable

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from core.staff.records import StaffAccount, StaffRole
from tests.browser.harness import Dashboard, wait_for


def test_an_agent_corrects_the_intent_with_the_select_and_the_question_becomes_an_example(
    dashboard: Dashboard,
    driver: webdriver.Chrome,
    signed_in: Callable[[webdriver.Chrome, StaffRole], StaffAccount],
) -> None:
    dashboard.customer_says("the app crashes at boot")  # read as a bug report
    dashboard.settle()
    account = signed_in(driver, StaffRole.AGENT)
    wait_for(driver, lambda: driver.current_url.endswith("/dashboard/queue"))
    driver.get(driver.current_url.replace("/dashboard/queue", "/dashboard/tickets/1"))
    wait_for(driver, lambda: "/dashboard/tickets/1" in driver.current_url)
    select = Select(driver.find_element(By.ID, "set-intent"))
    assert select.first_selected_option.get_attribute("value") == "bug_report"
    select.select_by_value("performance_issue")
    driver.find_element(By.ID, "correct-intent").click()
    said = "Ticket #1 is now performance_issue (was bug_report)"
    wait_for(driver, lambda: said in driver.find_element(By.CSS_SELECTOR, ".said").text)
    assert Select(driver.find_element(By.ID, "set-intent")).first_selected_option.text == "performance_issue"
    assert (
        "corrected the intent (bug_report → performance_issue)"
        in driver.find_element(By.CSS_SELECTOR, "table.audit").text
    )
    ticket = dashboard.call(dashboard.store.tickets.get(1))
    assert ticket is not None and ticket.intent == "performance_issue"
    [example] = dashboard.call(dashboard.store.intent_examples.examples())
    assert (example.text, example.intent, example.actor) == (
        "the app crashes at boot",
        "performance_issue",
        account.identity.actor,
    )
