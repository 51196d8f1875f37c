"""Fixtures of the browser tests: the dashboard served on a free port, and headless Chromium pointed at it.

Chromium and its driver are Debian's packages (``chromium``, ``chromium-driver``); ``.ci/run`` installs them.
Every test here is marked ``browser``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from core.staff.records import StaffAccount, StaffRole
from tests.browser.harness import Dashboard, sign_in

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
OPTIONS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,900")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test under tests/browser as ``browser``."""
    for item in items:
        if "tests/browser/" in item.nodeid.replace("\\", "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def dashboard() -> Iterator[Dashboard]:
    """The dashboard (with the Slack adapter on the fake Slack) on a fresh desk, served on 127.0.0.1."""
    with Dashboard() as served:
        yield served


@pytest.fixture
def driver() -> Iterator[webdriver.Chrome]:
    """A headless Chromium at 1280×900."""
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for option in OPTIONS:
        options.add_argument(option)
    browser = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    browser.implicitly_wait(0)
    try:
        yield browser
    finally:
        browser.quit()


@pytest.fixture
def signed_in(dashboard: Dashboard) -> Callable[[webdriver.Chrome, StaffRole], StaffAccount]:
    """``signed_in(driver, role)``: make an account of that role and sign in with it through the real form."""

    def signed(browser: webdriver.Chrome, role: StaffRole = StaffRole.AGENT) -> StaffAccount:
        return sign_in(browser, dashboard, role)

    return signed
