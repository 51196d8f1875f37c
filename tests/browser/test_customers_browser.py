"""An agent looks up a customer in a real browser: the Customers list, its filter, and the account's page."""

from __future__ import annotations

from datetime import date, timedelta

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from core.customers.health_history import HealthDay
from core.customers.records import Account, AccountEntry, PersonDraft
from core.staff.records import StaffRole
from tests.browser.harness import Dashboard, sign_in, wait_for
from tests.desk_fakes import START

NAME = "Acme <b>Corp</b>"


def test_an_agent_filters_the_customers_and_opens_an_accounts_health_and_timeline(
    dashboard: Dashboard, driver: webdriver.Chrome
) -> None:
    acme = Account("acme", NAME, "enterprise", csm="slack:U0MO", renewal_date=date(2027, 1, 15), seats=5)
    people = (PersonDraft("Ana", ("slack:U0ANA",)),)
    entries = [AccountEntry(acme, people), AccountEntry(Account("globex", "Globex", "community"))]
    dashboard.call(dashboard.store.customers.save(entries, START))
    kept = HealthDay("acme", START.date() - timedelta(days=1), 64, "At risk", (), START - timedelta(days=1))
    dashboard.call(dashboard.store.health.add(kept))
    sign_in(driver, dashboard, StaffRole.AGENT)

    driver.find_element(By.LINK_TEXT, "Customers").click()
    wait_for(driver, lambda: driver.current_url.endswith("/dashboard/customers"))
    table = driver.find_element(By.CSS_SELECTOR, "table.customers").text
    assert NAME in table and "Globex" in table and "64 At risk" in table  # the name escaped, shown as typed
    Select(driver.find_element(By.ID, "c-category")).select_by_visible_text("At risk")
    driver.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]").click()
    wait_for(driver, lambda: "category=At+risk" in driver.current_url)
    assert "Globex" not in driver.find_element(By.CSS_SELECTOR, "table.customers").text

    driver.find_element(By.CSS_SELECTOR, "a[href='/dashboard/customers/acme']").click()
    wait_for(driver, lambda: driver.current_url.endswith("/dashboard/customers/acme"))
    assert driver.find_element(By.CSS_SELECTOR, "h1 .subject").text == NAME
    assert "Ana: slack:U0ANA" in driver.find_element(By.CSS_SELECTOR, "ul.people").text
    assert "30 %" in driver.find_element(By.ID, "part-usage").text
    assert "no data" in driver.find_element(By.ID, "part-growth").text
    assert driver.find_element(By.ID, "open-tickets").text == "No open tickets."
    assert "scored 64 At risk" in driver.find_element(By.ID, "timeline").text
