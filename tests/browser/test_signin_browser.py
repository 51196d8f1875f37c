"""Signing in to the dashboard in a real browser: the password form, and a one-time link that works once."""

from __future__ import annotations

from collections.abc import Callable

from selenium import webdriver
from selenium.webdriver.common.by import By

from core.staff.records import Identity, StaffAccount, StaffRole
from tests.browser.harness import PASSWORD, Dashboard, screenshot, wait_for


def test_an_agent_signs_in_with_the_password_form_and_lands_on_the_queue(
    dashboard: Dashboard, driver: webdriver.Chrome
) -> None:
    dashboard.add_account("ana", StaffRole.AGENT)
    driver.get(f"{dashboard.url}/dashboard/")
    wait_for(driver, lambda: "/dashboard/login" in driver.current_url)
    screenshot(driver, "signin")
    driver.find_element(By.ID, "username").send_keys("ana")
    driver.find_element(By.ID, "password").send_keys("not the password")
    driver.find_element(By.CSS_SELECTOR, "main button[type=submit]").click()
    wait_for(driver, lambda: bool(driver.find_elements(By.ID, "signin-error")))
    assert "do not match" in driver.find_element(By.ID, "signin-error").text

    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "main button[type=submit]").click()
    wait_for(driver, lambda: driver.current_url.endswith("/dashboard/queue"))  # an agent's home page
    cookie = driver.get_cookie("helpline_session")
    assert cookie is not None and cookie["httpOnly"] and cookie["sameSite"] == "Lax"

    driver.get(f"{dashboard.url}/dashboard/login")
    assert "ana · agent" in driver.find_element(By.CLASS_NAME, "who").text  # the layout says who is signed in
    driver.find_element(By.CSS_SELECTOR, ".signout button").click()
    wait_for(driver, lambda: not driver.find_elements(By.CLASS_NAME, "who"))  # signed out, back on the form
    driver.get(f"{dashboard.url}/dashboard/")
    wait_for(driver, lambda: "/dashboard/login?next=" in driver.current_url)


def test_a_one_time_link_signs_in_once_and_is_refused_the_second_time(
    dashboard: Dashboard, driver: webdriver.Chrome
) -> None:
    mo = Identity("slack", "U0MO", "Mo", frozenset({"moderator"}))
    link = dashboard.issue_link(mo)
    driver.get(link)
    button = driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]")
    assert button.text == "Sign in as Mo"
    button.click()
    wait_for(driver, lambda: driver.current_url.endswith("/dashboard/queue"))
    sessions = dashboard.sessions.by_hash.values()
    assert [(s.account, s.identity.actor) for s in sessions] == [("slack:U0MO", "slack:U0MO")]

    driver.delete_all_cookies()
    driver.get(link)
    assert "has been used already" in driver.find_element(By.CSS_SELECTOR, "[role=alert]").text
    assert not driver.find_elements(By.CSS_SELECTOR, "main form")


def test_the_signed_in_helper_signs_in_a_lead(
    driver: webdriver.Chrome, signed_in: Callable[[webdriver.Chrome, StaffRole], StaffAccount]
) -> None:
    account = signed_in(driver, StaffRole.LEAD)
    assert account.role is StaffRole.LEAD
    assert driver.current_url.endswith("/dashboard/overview")  # a lead's home page
