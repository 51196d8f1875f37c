"""A simulated support day: routing's auto-assignment against claim-only handling, on the same tickets.

Run from the repository root::

    .venv/bin/python -m benchmarks.routing_day [--tickets 200] [--seed 7]

The day starts on Tuesday 24 November 2026 at 00:00 UTC, on the in-memory stores. Tickets arrive at random
minutes (seeded), a third each of billing ("charged twice"), outage ("the whole API is down") and bug ("the app
crashes") questions, half from an enterprise account and half from a professional one. Three agents work:

- dana: billing, London business hours (08:00-18:00), capacity 6;
- eli: incidents and bugs, the emea on-call shift (08:00-16:00 UTC), capacity 6;
- nia: anything, the apac shift (16:00-24:00 UTC), capacity 6.

Nobody works 00:00-08:00. An agent on shift works one ticket at a time: the first reply, then 6 minutes later
the resolution. With routing (``routing.auto_assign: [enterprise, professional]``) an agent takes the most
urgent unanswered ticket assigned to them as soon as they are free. With claim-only handling, an agent free and
on shift claims the oldest unassigned ticket in their skills (nia takes anything) when they finish one, and when
idle looks at the queue again every 15 minutes. Both days then report first-response SLA compliance; the routed
day also checks at every minute that no agent holds more open tickets than their capacity, and that no assignment
was made off shift.
"""

from __future__ import annotations

import argparse
import asyncio
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from config.settings import Settings
from core.agents.records import ROUTER
from core.tickets.records import Ticket
from core.tiers import Customer
from tests.desk_fakes import Harness, make_harness

DAY = datetime(2026, 11, 24, tzinfo=UTC)
MOD = frozenset({"moderator"})
TEXTS = {
    "billing": "I was charged twice, please refund my invoice now",
    "incident": "the whole API is down since this morning",
    "bug": "the app crashes at boot",
}
AGENTS = [
    {"id": "discord:dana", "name": "dana", "skills": ["billing"], "capacity": 6, "hours": "business-hours"},
    {"id": "discord:eli", "name": "eli", "skills": ["incident", "bug"], "capacity": 6, "shift": "emea"},
    {"id": "discord:nia", "name": "nia", "capacity": 6, "shift": "apac"},
]
HANDLING = timedelta(minutes=6)
POLL = timedelta(minutes=15)


@dataclass
class Worker:
    """One simulated agent: their skills, hours, and when they are free again."""

    user: str
    skills: frozenset[str]
    on: tuple[int, int]  # UTC hours [start, end)
    free_at: datetime = DAY
    working: int | None = None  # the ticket they are about to resolve
    polled_at: datetime = field(default=DAY - POLL)

    def on_shift(self, at: datetime) -> bool:
        return self.on[0] <= at.hour < self.on[1]


def _workers() -> list[Worker]:
    return [
        Worker("dana", frozenset({"billing"}), (8, 18)),
        Worker("eli", frozenset({"incident", "bug"}), (8, 16)),
        Worker("nia", frozenset(), (16, 24)),
    ]


def _arrivals(tickets: int, seed: int) -> list[tuple[int, str, str]]:
    """(minute of the day, kind, user) per ticket; users alternate between the two accounts."""
    rng = random.Random(seed)
    kinds = list(TEXTS)
    return sorted((rng.randrange(24 * 60), kinds[n % 3], f"c{n}") for n in range(tickets))


def _harness(routed: bool, tickets: int) -> Harness:
    ent = Customer("ent", "Ent", "enterprise", tuple(f"discord:c{n}" for n in range(0, tickets, 2)))
    pro = Customer("pro", "Pro", "professional", tuple(f"discord:c{n}" for n in range(1, tickets, 2)))
    routing = {"auto_assign": ["enterprise", "professional"] if routed else [], "agents": AGENTS}
    h = make_harness(settings=Settings(routing=routing), customers=[ent, pro])
    h.clock.advance(DAY - h.clock.now())
    return h


async def _category(h: Harness, number: int) -> str:
    ticket = await h.store.tickets.get(number)
    intent = ticket.intent if ticket is not None else None
    return {"billing": "billing", "service_down": "incident", "bug_report": "bug"}.get(intent or "", "other")


async def _next_ticket(h: Harness, worker: Worker, routed: bool, now: datetime) -> int | None:
    if routed:
        mine = await h.store.tickets.list_tickets(assignee=f"discord:{worker.user}", limit=500)
        waiting = [t for t in mine if t.first_response_at is None]
        return waiting[0].number if waiting else None  # the list is most urgent first
    if now - worker.polled_at < POLL:
        return None
    worker.polled_at = now
    for ticket in sorted(await h.store.tickets.list_tickets(limit=1000), key=lambda t: t.created_at):  # oldest
        if ticket.assignee is None and (not worker.skills or await _category(h, ticket.number) in worker.skills):
            await h.say(f"claim {ticket.number}", command=True, user=worker.user, roles=MOD, thread="staff")
            return ticket.number
    return None


async def _work(h: Harness, workers: Sequence[Worker], routed: bool, now: datetime) -> None:
    for worker in workers:
        if worker.working is not None and now >= worker.free_at:
            await h.say(f"resolve {worker.working}", command=True, user=worker.user, roles=MOD, thread="staff")
            worker.working, worker.polled_at = None, now - POLL  # done: straight back to the queue
        if worker.working is None and worker.on_shift(now):
            number = await _next_ticket(h, worker, routed, now)
            if number is not None:
                await h.say(f"reply {number} Looking at it now.", command=True, user=worker.user, roles=MOD,
                            thread="staff")  # fmt: skip
                worker.working, worker.free_at = number, now + HANDLING


async def _over_capacity(h: Harness) -> list[str]:
    found = []
    for agent in AGENTS:
        held = await h.store.tickets.list_tickets(assignee=str(agent["id"]), limit=100)
        if len(held) > int(agent["capacity"]):  # type: ignore[call-overload]
            found.append(f"{agent['name']} holds {len(held)}")
    return found


async def day(tickets: int, seed: int, routed: bool) -> dict[str, object]:
    """Run one day; its figures."""
    h, workers = _harness(routed, tickets), _workers()
    arrivals, over, opened = _arrivals(tickets, seed), 0, 0
    for minute in range(24 * 60 + 8 * 60):  # the day, and the next morning's queue worked off
        now = DAY + timedelta(minutes=minute)
        h.clock.advance(now - h.clock.now())
        for _, kind, user in (a for a in arrivals if a[0] == minute):
            replies = await h.say(TEXTS[kind], user=user, thread=f"t-{user}")
            opened += any(r.ticket is not None for r in replies)
        await _work(h, workers, routed, now)
        if minute % 5 == 0:
            await h.worker.run_once()
        if routed:
            over += bool(await _over_capacity(h))
    return await _figures(h, routed, opened, over)


async def _figures(h: Harness, routed: bool, opened: int, over: int) -> dict[str, object]:
    tickets = [t for n in range(1, opened + 1) if (t := await h.store.tickets.get(n)) is not None]
    met = sum(
        1
        for t in tickets
        if t.first_response_at and t.first_response_due and t.first_response_at <= t.first_response_due
    )
    waits = sorted((t.first_response_at - t.created_at).total_seconds() / 60 for t in tickets if t.first_response_at)
    off_shift = 0
    for ticket in tickets:
        for event in await h.store.tickets.events(ticket.number):
            if event.kind == "assigned" and event.actor == ROUTER:
                who = event.detail.split(" → ")[1].split(";")[0]
                hours = {"discord:dana": (8, 18), "discord:eli": (8, 16), "discord:nia": (16, 24)}[who]
                off_shift += not hours[0] <= event.at.hour < hours[1]
    return {
        "handling": "routing" if routed else "claim-only",
        "tickets": len(tickets),
        "first-response SLA met": f"{met / max(len(tickets), 1):.1%}",
        "first response p50 (min)": round(waits[len(waits) // 2]) if waits else None,
        "answered": len(waits),
        "minutes with an agent over capacity": over if routed else "-",
        "assignments off shift": off_shift if routed else "-",
    }


def _met(ticket: Ticket) -> bool:
    answered, due = ticket.first_response_at, ticket.first_response_due
    return answered is not None and due is not None and answered <= due


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    for routed in (False, True):
        print(asyncio.run(day(args.tickets, args.seed, routed)))


if __name__ == "__main__":
    main()
