"""A simulated stretch of support through the real desk (fake clock, keyword understander, any ``Stores``).

Customers open tickets ("crash" is a bug report), moderators reply with ``reply N``, customers follow up,
tickets are resolved and some reopened; the escalation worker runs each time the clock moves, so overdue
tickets escalate as they would in production. ``month_histories`` reads back every ticket with its log.
CSAT answers are not driven yet: the hook ``answer_surveys`` is where the surveys flow will plug in.
"""

from __future__ import annotations

import random
from datetime import timedelta

from core.analytics.records import TicketHistory
from tests.desk_fakes import Harness

USERS = ("ana", "bo", "cy", "di")  # ana is in the harness's tier (if given); the rest in the default tier


async def simulate(harness: Harness, tickets: int, *, seed: int = 17) -> list[int]:
    """Drive ``tickets`` tickets through the desk; the numbers of the tickets opened."""
    rng = random.Random(seed)
    opened: list[tuple[int, str, str]] = []
    for n in range(tickets):
        user, thread = rng.choice(USERS), f"sim{n}"
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
    await answer_surveys(harness)
    return [number for number, _, _ in opened]


async def answer_surveys(harness: Harness) -> None:
    """Hook: once the surveys flow lands, customers answer their CSAT surveys here (not done yet)."""


async def month_histories(harness: Harness) -> list[TicketHistory]:
    """Every ticket in the store as it is now (the simulated ones and any their follow-ups opened), with its log."""
    found = []
    every = await harness.store.tickets.list_tickets(active_only=False, limit=1_000_000)
    for number in sorted(ticket.number for ticket in every):
        ticket = await harness.store.tickets.get(number)
        assert ticket is not None
        events = tuple(await harness.store.tickets.events(number))
        escalations = tuple(await harness.store.escalations.escalations(number))
        found.append(TicketHistory(ticket, events, escalations))
    return found
