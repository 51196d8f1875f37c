"""A publisher reviews a draft in a real browser: the review queue, the article's page, and Approve."""

from __future__ import annotations

from selenium import webdriver
from selenium.webdriver.common.by import By

from core.knowledge.articles import ArticleOrigin, ArticleState, NewArticle
from core.staff.records import Identity
from tests.browser.harness import Dashboard, screenshot, wait_for
from tests.desk_fakes import START

STAFF = "U0STAFFMO"


def test_a_publisher_opens_a_draft_from_the_review_queue_and_approves_it(
    dashboard: Dashboard, driver: webdriver.Chrome
) -> None:
    draft = NewArticle(
        "Refunds <b>within</b> 30 days", "Annual plans get a full refund.", ArticleOrigin.TICKET, "helpline", START
    )
    dashboard.call(dashboard.store.articles.create(draft))
    pat = Identity("slack", STAFF, "Pat", frozenset({"moderator", "publisher"}))
    driver.get(dashboard.issue_link(pat))
    driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    wait_for(driver, lambda: driver.current_url.endswith("/dashboard/queue"))

    driver.get(f"{dashboard.url}/dashboard/knowledge")
    queue = driver.find_element(By.CSS_SELECTOR, "table.kb-review").text
    assert "Refunds <b>within</b> 30 days" in queue and "draft" in queue  # escaped, shown as typed
    driver.find_element(By.CSS_SELECTOR, "a[href='/dashboard/knowledge/articles/1']").click()
    wait_for(driver, lambda: "/dashboard/knowledge/articles/1" in driver.current_url)
    assert driver.find_element(By.ID, "article-state").text == "draft"
    screenshot(driver, "article")

    driver.find_element(By.ID, "action-approve").click()
    wait_for(driver, lambda: driver.find_elements(By.CSS_SELECTOR, ".said"))
    said = driver.find_element(By.CSS_SELECTOR, ".said").text
    assert "Approved “Refunds <b>within</b> 30 days” (article #1)" in said
    assert driver.find_element(By.ID, "article-state").text == "published"
    approved = dashboard.call(dashboard.store.articles.get(1))
    assert approved is not None and approved.state is ArticleState.PUBLISHED and approved.live_version == 1
    assert f"slack:{STAFF} approved" in driver.find_element(By.ID, "log-title").find_element(By.XPATH, "..").text
