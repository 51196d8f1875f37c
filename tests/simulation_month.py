"""A simulated month of support through the real desk (moved clock, keyword understander, any ``Stores``).

Customers of four tiers on Discord, Slack and GitHub open tickets ("crash" is a bug report, "down" an
outage), ask questions the knowledge base answers and vote on those answers, and follow up; four moderators
claim, reply, resolve and reopen, now and then escalate by hand. The escalation worker runs every simulated
quarter hour, so overdue tickets escalate, silent ones waiting on their customer are closed as stale and NPS
questions go out as in production. Customers answer the CSAT question sent on resolution (picking a choice or
typing ``rate N comment``), some change their rating later, some never answer; some answer NPS too.
Everything they did that no ticket log holds is written to a ``Ledger`` for the reference.
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from core.analytics.records import TicketHistory
from core.messages import Author, IncomingMessage, Reply, ReplyKind
from core.tickets.records import Priority
from tests.desk_fakes import Harness, place
from tests.simulation_people import AGENTS, PEOPLE, AnswerGiven, Ledger, Person, Rating, SurveySent, Vote, person_of

WORKER_EVERY = timedelta(minutes=15)
TICKET_TEXTS = ("my app keeps crashing", "the service is down for us", "crash on startup again")
QUESTIONS = ("how do I set up 2fa", "exit code 137, what does it mean")
ISSUE_TEXTS = ("exit code 137 when the app starts", "the app crashes on save")


@dataclass
class Conversation:
    """A thread a simulated person writes in, and the ticket it became (if any)."""

    person: Person
    thread: str
    ticket: int | None = None
    resolved: bool = False
    urgent: bool = False  # a critical ticket: the moderators turn to it first


@dataclass
class Simulation:
    """The month's state: the desk, the people's threads, what is due later, and the ledger."""

    harness: Harness
    rng: random.Random
    ledger: Ledger = field(default_factory=Ledger)
    live: list[Conversation] = field(default_factory=list)
    threads: dict[tuple[str, str], Conversation] = field(default_factory=dict)
    later: list[tuple[datetime, int, Callable[[], Awaitable[None]]]] = field(default_factory=list)
    seen: int = 0  # outbound notices already looked at for surveys
    worked: datetime | None = None
    serial: int = 0

    # Time.
    def schedule(self, delay: timedelta, action: Callable[[], Awaitable[None]]) -> None:
        """Run ``action`` once the clock reaches now + ``delay``."""
        self.serial += 1
        heapq.heappush(self.later, (self.harness.clock.now() + delay, self.serial, action))

    async def advance(self, delta: timedelta) -> None:
        """Move the clock on by ``delta``, running what falls due and the worker every quarter hour."""
        until = self.harness.clock.now() + delta
        while True:
            due = self.later[0][0] if self.later else None
            tick = (self.worked or self.harness.clock.now()) + WORKER_EVERY
            step = min(t for t in (due, tick, until) if t is not None)
            if step > until:
                break
            self._move_to(step)
            if step == tick:
                await self.harness.worker.run_once()
                self.worked = step
                await self.read_surveys()
            while self.later and self.later[0][0] <= self.harness.clock.now():
                _, _, action = heapq.heappop(self.later)
                await action()
            if step == until:
                break
        self._move_to(until)

    def _move_to(self, moment: datetime) -> None:
        now = self.harness.clock.now()
        if moment > now:
            self.harness.clock.advance(moment - now)

    # Talking to the desk.
    async def say(self, convo: Conversation, text: str, **kwargs: object) -> Sequence[Reply]:
        """``convo``'s person writes (or picks, or types a command) in its thread; answers go to the ledger."""
        p = convo.person
        replies = await self.harness.say(text, user=p.user, thread=convo.thread, platform=p.platform, **kwargs)  # type: ignore[arg-type]
        self.note(convo, replies)
        await self.read_surveys()
        return replies

    def note(self, convo: Conversation, replies: Sequence[Reply]) -> None:
        """Keep the answers given in ``convo`` and the ticket it became."""
        now, address = self.harness.clock.now(), place(convo.person.platform, convo.thread)
        for reply in replies:
            if reply.kind is ReplyKind.ANSWER and reply.citation is not None:
                self.ledger.answers.append(AnswerGiven(address, now, reply.citation.url))
            if reply.kind is ReplyKind.TICKET and reply.ticket is not None and convo.ticket is None:
                convo.ticket, convo.urgent = reply.ticket, f"#{reply.ticket}, critical" in reply.text
                self.ledger.tickets.append(reply.ticket)
                self.live.append(convo)

    async def mod(self, text: str, agent: str | None = None) -> Reply:
        """A moderator's command (a random agent unless named)."""
        reply = await self.harness.mod(text, agent=agent or self.rng.choice(AGENTS))
        await self.read_surveys()
        return reply

    # Conversations.
    def new_conversation(self) -> Conversation:
        """A fresh thread for a random person."""
        self.serial += 1
        convo = Conversation(self.rng.choice(PEOPLE), f"s{self.serial}")
        self.threads[(convo.person.platform, convo.thread)] = convo
        return convo

    async def open_one(self) -> None:
        """Someone starts a conversation: a GitHub issue, a question the docs answer, or a problem."""
        convo = self.new_conversation()
        if convo.person.platform == "github":
            await self.open_issue(convo)
        elif self.rng.random() < 0.25:
            await self.say(convo, self.rng.choice(QUESTIONS))
            self.schedule(timedelta(minutes=self.rng.randint(1, 30)), lambda: self.react_to_answer(convo))
        else:
            text = self.rng.choices(TICKET_TEXTS, weights=(4, 1, 3))[0]  # outages are rarer
            await self.say(convo, text)

    async def open_issue(self, convo: Conversation) -> None:
        """A new GitHub issue, triaged into a ticket (the docs may answer it at once)."""
        text = self.rng.choice(ISSUE_TEXTS)
        author = Author(convo.person.user, convo.person.user.title())
        message = IncomingMessage(place("github", convo.thread), author, text, f"issue-{convo.thread}")
        triage = await self.harness.desk.triage_issue(message, text)
        convo.ticket, convo.urgent = triage.ticket.number, triage.priority is Priority.CRITICAL
        self.ledger.tickets.append(triage.ticket.number)
        self.live.append(convo)
        if triage.answer is not None and triage.answer.citation is not None:
            address = place("github", convo.thread)
            self.ledger.answers.append(AnswerGiven(address, self.harness.clock.now(), triage.answer.citation.url))

    async def react_to_answer(self, convo: Conversation) -> None:
        """What the asker does with the docs' answer: helpful (once or twice), not helpful, a human, later, nothing."""
        roll = self.rng.random()
        if roll < 0.45:
            for _ in range(self.rng.choice((1, 1, 2))):
                await self.vote(convo, helpful=True)
        elif roll < 0.6:
            await self.vote(convo, helpful=False)
        elif roll < 0.7:
            await self.say(convo, "", choice="human")
        elif roll < 0.85:
            hours = self.rng.choice((2, 12, 30, 60))
            self.schedule(timedelta(hours=hours), lambda: self.follow_up_answer(convo))

    async def follow_up_answer(self, convo: Conversation) -> None:
        """The asker comes back to the answered thread with the problem still there."""
        await self.say(convo, "my app keeps crashing anyway")

    async def vote(self, convo: Conversation, *, helpful: bool) -> None:
        """Press helpful or not helpful under the thread's answer."""
        now, address = self.harness.clock.now(), place(convo.person.platform, convo.thread)
        self.ledger.votes.append(Vote(address, now, helpful))
        await self.say(convo, "", choice="helpful" if helpful else "not_helpful")

    async def act(self) -> None:
        """One thing happens on a random live ticket."""
        if not self.live:
            return
        urgent = [c for c in self.live if c.urgent and not c.resolved]
        convo = self.rng.choice(urgent if urgent and self.rng.random() < 0.8 else self.live)
        number, roll = convo.ticket, self.rng.random()
        if convo.urgent and not convo.resolved:  # answered and fixed within the hour, mostly
            roll = 0.3 + 0.6 * roll
        if convo.resolved:
            if roll < 0.15:
                convo.resolved = False
                if convo.person.platform == "github":
                    await self.harness.desk.issue_reopened(place("github", convo.thread), convo.person.user, "")
                else:
                    await self.mod(f"reopen {number}")
            else:
                self.live.remove(convo)
        elif roll < 0.15:
            await self.mod(f"claim {number}")
        elif roll < 0.45:
            await self.mod(f"reply {number} could you try the latest version")
        elif roll < 0.65:
            await self.say(convo, "still crashing, any news?")
        elif roll < 0.88:
            await self.resolve(convo)
        elif roll < 0.9:
            await self.mod(f"escalate {number}")
        elif roll < 0.95:
            self.live.remove(convo)  # they go quiet: waiting on them, the worker closes it as stale

    async def resolve(self, convo: Conversation) -> None:
        """A moderator resolves the ticket, or on GitHub the issue is closed."""
        convo.resolved = True
        if convo.person.platform == "github":
            await self.harness.desk.issue_closed(place("github", convo.thread), "github:mo", "closed")
            await self.read_surveys()
        else:
            await self.mod(f"resolve {convo.ticket}")

    # Surveys.
    async def read_surveys(self) -> None:
        """Each survey question sent since last time goes to the ledger; its person answers later, or never."""
        sent = self.harness.notifier.sent
        fresh, self.seen = sent[self.seen :], len(sent)
        for outbound in fresh:
            reply = outbound.reply
            if reply.kind is not ReplyKind.SURVEY or not reply.choices or reply.choices[0].ticket is None:
                continue
            survey, address = reply.choices[0].ticket, outbound.address
            kind = "csat" if reply.ticket is not None else "nps"  # NPS goes by DM where it can, else to the thread
            if reply.mentions:
                user = reply.mentions[0].id
            else:
                user = self.threads[(address.platform, address.thread)].person.user
            now = self.harness.clock.now()
            self.ledger.surveys.append(SurveySent(survey, kind, now, address, user, reply.ticket))
            convo = Conversation(person_of(address.platform, user), address.thread)
            if self.rng.random() < (0.7 if kind == "csat" else 0.55):
                delay = timedelta(minutes=self.rng.randint(3, 4 * 24 * 60))
                self.schedule(delay, self._rater(convo, survey, kind, first=True))

    def _rater(self, convo: Conversation, survey: int, kind: str, *, first: bool) -> Callable[[], Awaitable[None]]:
        async def rate() -> None:
            await self.rate(convo, survey, kind)
            if first and self.rng.random() < 0.2:  # changes their mind, sometimes after the change window
                self.schedule(
                    timedelta(hours=self.rng.randint(1, 10 * 24)), self._rater(convo, survey, kind, first=False)
                )

        return rate

    async def rate(self, convo: Conversation, survey: int, kind: str) -> None:
        """Pick a score under the question, or type ``rate N [comment]`` in the thread (GitHub always types)."""
        top = {"community": 5, "professional": 5, "enterprise": 6, "white-glove": 7}[convo.person.tier]
        score = min(self.rng.randint(1, top), 5) if kind == "csat" else self.rng.randint(0, 10)
        now = self.harness.clock.now()
        typed = kind == "csat" and (convo.person.platform == "github" or self.rng.random() < 0.3)
        if typed:
            comment = self.rng.choice(("", " thanks for the quick help", " it took a while"))
            replies = await self.say(convo, f"rate {score}{comment}", command=True)
        else:
            replies = await self.say(convo, "", choice=f"rate:{survey}:{score}")
        refused = any(r.kind is ReplyKind.ERROR for r in replies)
        self.ledger.ratings.append(Rating(self._rated(convo, survey, replies), now, score, refused))

    def _rated(self, convo: Conversation, survey: int, replies: Sequence[Reply]) -> int:
        """The survey the desk says it kept the rating on: ``rate N`` in a thread rates its newest survey."""
        said = next((r.ticket for r in replies if r.kind is ReplyKind.INFO), -1)
        meant = next(s for s in self.ledger.surveys if s.id == survey)
        if said == -1 or said == meant.ticket:
            return survey
        newest = [s for s in self.ledger.surveys if s.person == convo.person.user and s.address.thread == convo.thread]
        return max(newest, key=lambda s: s.at).id


async def simulate(harness: Harness, tickets: int, *, days: float = 31, seed: int = 17) -> Ledger:
    """Drive ``days`` of support, opening about ``tickets`` tickets; the ledger of what the people did."""
    sim = Simulation(harness, random.Random(seed))
    gap = days * 86400 / (tickets * 1.2)  # about one conversation in six ends without a ticket
    start = harness.clock.now()
    while harness.clock.now() < start + timedelta(days=days):
        await sim.open_one()
        for _ in range(3):
            await sim.act()
        await sim.advance(timedelta(seconds=sim.rng.uniform(0.2, 1.8) * gap))
    return sim.ledger


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
