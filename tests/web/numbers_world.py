"""A desk with a day of simulated tickets, and helpers to read the numbers pages like a lead would."""

from __future__ import annotations

import asyncio
import html
import random
import re
from datetime import UTC, datetime, timedelta

from starlette.applications import Starlette
from starlette.testclient import TestClient

from bots.web.app import dashboard_routes
from bots.web.deps import DashboardDeps
from tests.desk_fakes import Harness, make_harness

# The simulation starts 2026-11-23 09:00 UTC and ends near 06:40 the next day: two halves of 11 hours.
FROM, TO = datetime(2026, 11, 23, 20, 0, tzinfo=UTC), datetime(2026, 11, 24, 7, 0, tzinfo=UTC)
PERIOD = {"from": FROM.isoformat(), "to": TO.isoformat()}


def busy_harness(tickets: int = 30) -> Harness:
    """A harness whose desk has handled ``tickets`` tickets in about a day (replies, resolutions, reopens).

    A plain day of four customers (``ana`` is enterprise), not the simulated month: the pages' tests pick
    periods inside this day.
    """
    harness = make_harness(tier="enterprise")
    asyncio.run(_a_busy_day(harness, tickets))
    return harness


async def _a_busy_day(harness: Harness, tickets: int, seed: int = 17) -> None:
    rng = random.Random(seed)
    opened: list[tuple[int, str, str]] = []
    for n in range(tickets):
        user, thread = rng.choice(("ana", "bo", "cy", "di")), f"day{n}"
        replies = await harness.say("my app keeps crashing", user=user, thread=thread)
        number = next((r.ticket for r in replies if r.ticket is not None), None)
        if number is not None:
            opened.append((number, user, thread))
        await harness.wait(timedelta(minutes=rng.randint(1, 90)))
        for number, user, thread in rng.sample(opened, min(3, len(opened))):
            roll = rng.random()
            if roll < 0.4:
                await harness.mod(f"reply {number} try restarting it")
            elif roll < 0.6:
                await harness.say("still crashing, any news?", user=user, thread=thread)
            elif roll < 0.85:
                await harness.mod(f"resolve {number}")
            else:
                await harness.mod(f"reopen {number}")


def client_of(deps: DashboardDeps) -> TestClient:
    """A test client of the dashboard on ``deps`` (no redirects followed)."""
    return TestClient(Starlette(routes=dashboard_routes(deps)), follow_redirects=False)


def words(markup: str) -> str:
    """The text a person reads in ``markup``: tags dropped, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def card(page: str, key: str) -> str:
    """The markup of the overview's headline card ``key``."""
    found = re.search(rf'<div class="card" id="figure-{key}">(.*?)vs previous', page, re.S)
    assert found is not None, f"no card {key}"
    return found.group(1)


def ticket_numbers(page: str) -> list[int]:
    """The ticket numbers a list links, in order."""
    return [int(n) for n in re.findall(r'href="/dashboard/tickets/(\d+)"', page)]
