"""Moderator commands, run the same way for every platform."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta

from core.analytics.metrics import build_report, headline_text
from core.analytics.records import ReportQuery
from core.command_records import ExtraCommand, KnowledgeCommand
from core.commands import (
    Acknowledge,
    Assign,
    Claim,
    Command,
    CommandError,
    CommandSpec,
    CorrectIntent,
    Escalate,
    ExplainSla,
    ForgetMe,
    Help,
    KbSearch,
    Link,
    LinkIdentities,
    ListTickets,
    Login,
    Note,
    Rate,
    Reopen,
    ReplyTo,
    Resolve,
    SetPriority,
    SetTier,
    ShowTicket,
    Stats,
    StopJourney,
    UnlinkIdentity,
    help_text,
    needs_moderator,
)
from core.desk.assignment import assign, log_change, move_tier, ticket_of
from core.desk.calls import CallDesk
from core.desk.commands import names_public_command, parse_command
from core.desk.context import Desk, KnowledgeEditor, actor_of
from core.desk.drafts import TicketDrafts
from core.desk.engineering import EngineeringDesk
from core.desk.extras import run_extra
from core.desk.health_events import rescore_customer
from core.desk.intents import correct_intent
from core.desk.journeys import JourneyDesk
from core.desk.knowledge_commands import KnowledgeCommands
from core.desk.linking import Linking
from core.desk.privacy import PrivacyDoor
from core.desk.requests import RequestDesk
from core.desk.signin import SignIn
from core.desk.surveys import SurveyDesk
from core.errors import HelplineError
from core.messages import Author, ChoiceMessage, CommandText, Inbound, Outbound, Reply, ReplyKind
from core.sla.deadlines import reprioritised
from core.sla.escalation import Escalator
from core.sla.events import ACKNOWLEDGED
from core.sla.explain import explain_ticket
from core.tickets.records import (
    ConversationMessage,
    Deadline,
    Priority,
    Role,
    Ticket,
    TicketChange,
    TicketEvent,
    TicketStatus,
)
from core.wording import due_phrase, event_line, person, place, ticket_flags, ticket_line

STATS_PERIOD = timedelta(days=7)
REFUSAL = "Only moderators can run that command. Ask a team member with a moderator role."


class Moderation:
    """Parses a command, checks who asked, and runs it."""

    def __init__(self, desk: Desk, requests: RequestDesk | None = None) -> None:
        self.desk = desk
        self.requests = requests or RequestDesk(desk)
        self.calls = CallDesk(desk)
        self.surveys = SurveyDesk(desk)
        self.signin = SignIn(desk)
        self.linking = Linking(desk)

    async def handle(self, message: CommandText) -> list[Reply]:
        """Parse the command typed in ``message`` and run it."""
        public = names_public_command(message.text)  # its mistakes are shown to anyone, not only moderators
        return await self._checked(message, lambda: parse_command(message.text), public=public)

    async def choose(self, message: ChoiceMessage, spec: CommandSpec) -> list[Reply]:
        """A choice that is a command on its ticket (Claim, Acknowledge): run ``spec`` on it."""
        options = {} if message.ticket is None else {"number": message.ticket}
        return await self._checked(message, lambda: spec.build(options))

    async def run(self, message: Inbound, command: Command) -> list[Reply]:
        """Run a typed ``command`` on behalf of ``message``'s author, if they may run it."""
        if needs_moderator(command) and not self.desk.moderators.allows(message.platform, message.author):
            return [Reply(ReplyKind.ERROR, REFUSAL)]
        return [await self._run(message, command)]

    def mistyped(self, platform: str, author: Author, error: CommandError) -> Reply:
        """What a command that cannot be read gets: its error for a moderator, the refusal for anyone else."""
        allowed = self.desk.moderators.allows(platform, author)
        return Reply(ReplyKind.ERROR, str(error) if allowed else REFUSAL)

    async def _checked(self, message: Inbound, read: Callable[[], Command], *, public: bool = False) -> list[Reply]:
        try:
            command = read()
        except CommandError as exc:
            return [
                Reply(ReplyKind.ERROR, str(exc)) if public else self.mistyped(message.platform, message.author, exc)
            ]
        return await self.run(message, command)

    async def _run(self, message: Inbound, command: Command) -> Reply:
        match command:
            case Help():
                return _info(help_text(moderator=self.desk.moderators.allows(message.platform, message.author)))
            case ListTickets(scope=scope):
                return await self._list(message, scope)
            case ShowTicket(number=number):
                return await self._show(number)
            case Claim(number=number):
                return await self._claim(message, number)
            case Assign(number=number, person=person):
                return await assign(self.desk, message, number, person)
            case ReplyTo(number=number, text=text):
                return await self._reply(message, number, text)
            case Note(number=number, text=text):
                return await self._note(message, number, text)
            case SetPriority(number=number, priority=priority):
                return await self._priority(message, number, priority)
            case SetTier(number=number, tier=tier):
                return await move_tier(self.desk, message, number, tier)
            case CorrectIntent(number=number, intent=intent):
                return await correct_intent(self.desk, message, number, intent)
            case Escalate(number=number, to=to):
                return await self._escalate(message, number, to)
            case Acknowledge(number=number):
                return await self._acknowledge(message, number)
            case ExplainSla(number=number):
                return await self._explain(number)
            case Resolve(number=number):
                return await self._resolve(message, number)
            case Reopen(number=number):
                return await self._reopen(message, number)
            case KbSearch(text=text):
                return await self._kb_search(text)
            case Rate():
                return await self.surveys.command(message, command)
            case Stats():
                return _info(await self._stats())
            case Login():
                return await self.signin.link(message)
            case ForgetMe():
                return await PrivacyDoor(self.desk).forget_me(message)
            case StopJourney():
                return await JourneyDesk(self.desk).stop(message)
            case Link() | LinkIdentities() | UnlinkIdentity():
                return await self.linking.run(message, command)
            case _ if isinstance(command, KnowledgeCommand):
                return await KnowledgeCommands(self.desk).run(message, command)
            case ExtraCommand():
                return await run_extra(self, message, command)
        raise HelplineError(f"unsupported command: {command!r}")

    async def _ticket(self, number: int) -> Ticket:
        return await ticket_of(self.desk, number)

    async def _deliver(self, ticket: Ticket, reply: Reply) -> str | None:
        """Send ``reply`` to the ticket's thread; on failure log a ``delivery_failed`` event and return why."""
        try:
            await self.desk.notifier.send(Outbound(ticket.address, reply))
        except Exception as exc:
            reason = str(exc) or type(exc).__name__
            event = TicketEvent(ticket.number, self.desk.clock.now(), "helpline", "delivery_failed", reason)
            await self.desk.stores.tickets.add_event(event)
            return reason
        return None

    async def _list(self, message: Inbound, scope: str) -> Reply:
        tickets, now = self.desk.stores.tickets, self.desk.clock.now()
        if scope == "breaching":
            found = await tickets.overdue(now)
        elif scope == "mine":
            found = await tickets.list_tickets(assignee=actor_of(message))
        else:
            found = await tickets.list_tickets()
        if not found:
            return _info(f"No {scope} tickets.")
        return _info("\n".join(ticket_line(ticket, now) for ticket in found))

    async def _show(self, number: int) -> Reply:
        ticket = await self._ticket(number)
        now = self.desk.clock.now()
        lines = [
            f"Ticket #{ticket.number}: {ticket.subject}",
            f"{ticket.status} · {ticket.priority} · {ticket.tier} · customer {ticket.customer} · "
            f"requester {ticket.requester_name} · assignee {person(ticket.assignee)}{ticket_flags(ticket)}",
            f"first response {due_phrase(ticket.first_response_due, ticket.first_response_at, now)} · "
            f"resolution {due_phrase(ticket.resolution_due, ticket.resolved_at, now)}",
            "Messages:",
        ]
        for kept in (await self.desk.stores.conversations.messages(number))[-10:]:
            lines.append(f"  [{kept.at:%m-%d %H:%M}] {kept.author_name} ({kept.role}): {kept.text[:200]}")
        lines.append("History:")
        for event in await self.desk.stores.tickets.events(number):
            lines.append(f"  [{event.at:%m-%d %H:%M}] {event_line(event.actor, event.kind, event.detail)}")
        return Reply(ReplyKind.INFO, "\n".join(lines), ticket=number)

    async def _claim(self, message: Inbound, number: int) -> Reply:
        ticket = await self._ticket(number)
        me = actor_of(message)
        if ticket.assignee == me:
            return _info(f"You already have ticket #{number}.", number)
        status = TicketStatus.OPEN if ticket.status is TicketStatus.NEW else None
        before = f" (was {ticket.assignee})" if ticket.assignee else ""
        change = TicketChange(status=status, assignee=me)
        await log_change(self.desk, message, ticket, change, "claimed", before.strip(" ()"))
        return _info(f"You claimed ticket #{number}{before}.", number)

    async def _reply(self, message: Inbound, number: int, text: str) -> Reply:
        ticket = await self._ticket(number)
        now = self.desk.clock.now()
        kept = ConversationMessage(
            ticket.address, message.author.id, message.author.name, Role.AGENT, text, now, ticket=number
        )
        first = ticket.first_response_at is None
        change = TicketChange(
            status=TicketStatus.WAITING if ticket.status.active else None,
            first_response_at=now if first else None,
            assignee=ticket.assignee or actor_of(message),
        )
        await log_change(self.desk, message, ticket, change, "replied", kept=kept)
        outbound = Reply(
            ReplyKind.TICKET, f"{message.author.name} (support) on ticket #{number}: {text}", ticket=number
        )
        failure = await self._deliver(ticket, outbound)
        if failure is not None:  # the reply is saved; say plainly that it was not delivered
            return Reply(
                ReplyKind.ERROR, f"Saved on ticket #{number}, but it could not be delivered: {failure}", ticket=number
            )
        sla = ""
        if first and ticket.first_response_due is not None:
            sla = (
                " First response recorded, " + ("within" if now <= ticket.first_response_due else "after") + " the SLA."
            )
        return _info(f"Sent to the customer on ticket #{number}.{sla}", number)

    async def _note(self, message: Inbound, number: int, text: str) -> Reply:
        ticket = await self._ticket(number)
        now = self.desk.clock.now()
        kept = ConversationMessage(
            ticket.address, message.author.id, message.author.name, Role.NOTE, text, now, ticket=number
        )
        await log_change(self.desk, message, ticket, TicketChange(), "note", kept=kept)
        return _info(f"Internal note added to ticket #{number} (the customer does not see it).", number)

    async def _priority(self, message: Inbound, number: int, priority: Priority) -> Reply:
        ticket = await self._ticket(number)
        if ticket.priority is priority:
            return _info(f"Ticket #{number} is already {priority}.", number)
        change = reprioritised(ticket, self.desk.tiers.get(ticket.tier).targets, priority)
        await log_change(self.desk, message, ticket, change, "priority", f"{ticket.priority} → {priority}")
        return _info(
            f"Ticket #{number} is now {priority} (was {ticket.priority}); its deadlines moved with it.", number
        )

    async def _escalate(self, message: Inbound, number: int, to: str) -> Reply:
        ticket = await self._ticket(number)
        if to == "engineering":
            return await EngineeringDesk(self.desk).escalate(message, ticket)
        tier = self.desk.tiers.get(ticket.tier)
        if tier.escalation_target is None:
            return Reply(ReplyKind.ERROR, f"{tier.label} tickets have no escalation target.", ticket=number)
        level = 1 + sum(
            1 for e in await self.desk.stores.escalations.escalations(number) if e.deadline is Deadline.MANUAL
        )
        # Sent at once, not through the SLA outbox: a crash between the claim and the send loses this notice
        # (see "Not yet through the outbox" in docs/sla.md).
        escalator = Escalator(self.desk.stores.escalations, self.desk.tiers, self.desk.notifier)
        await escalator.escalate(ticket, Deadline.MANUAL, level, self.desk.clock.now(), by=message.author.name)
        where = place(tier.escalation_target)
        return _info(f"Ticket #{number} escalated to {tier.escalation_contact}, posted in {where}.", number)

    async def _acknowledge(self, message: Inbound, number: int) -> Reply:
        ticket = await self._ticket(number)
        await log_change(self.desk, message, ticket, TicketChange(), ACKNOWLEDGED, "escalation chain stopped")
        return _info(f"Ticket #{number}: escalation acknowledged; its chain stops here.", number)

    async def _stats(self) -> str:
        """The last seven days' headline numbers, each with its count, and what to do about any shortfall."""
        d, now = self.desk, self.desk.clock.now()
        end = now + timedelta(seconds=1)  # the period ends after this moment: what just happened counts
        report = await build_report(d.stores, d.tiers, ReportQuery(end - STATS_PERIOD, end), d.policy.report, now)
        return "Last 7 days: " + headline_text(report)

    async def _explain(self, number: int) -> Reply:
        ticket = await self._ticket(number)
        text = await explain_ticket(self.desk.stores, self.desk.tiers, ticket, self.desk.clock.now())
        return Reply(ReplyKind.INFO, text, ticket=number)

    async def _resolve(self, message: Inbound, number: int) -> Reply:
        ticket = await self._ticket(number)
        if not ticket.status.active:
            return _info(f"Ticket #{number} is already {ticket.status}.", number)
        now = self.desk.clock.now()
        change = TicketChange(status=TicketStatus.RESOLVED, resolved_at=now)
        resolved = await log_change(self.desk, message, ticket, change, "resolved")
        notice = Reply(ReplyKind.TICKET, f"Ticket #{number} is resolved. If the problem is back, just reply here.",
                       ticket=number)  # fmt: skip
        await self._deliver(ticket, notice)  # resolving must not depend on the customer's platform being up
        await self.surveys.ask_csat(resolved)
        await TicketDrafts(self.desk).resolved(resolved)  # a draft or a phrasing; never fails the resolution
        await rescore_customer(self.desk, resolved.customer)  # the account's support part has changed
        return _info(f"Ticket #{number} resolved.", number)

    async def _reopen(self, message: Inbound, number: int) -> Reply:
        ticket = await self._ticket(number)
        if ticket.status.active:
            return _info(f"Ticket #{number} is still {ticket.status}.", number)
        change = TicketChange(status=TicketStatus.OPEN, clear_resolved_at=True)
        await log_change(self.desk, message, ticket, change, "reopened")
        return _info(f"Ticket #{number} reopened.", number)

    async def _kb_search(self, text: str) -> Reply:
        knowledge = self._knowledge()
        hits = await asyncio.to_thread(knowledge.search_text, text, 5)
        if not hits:
            return _info("Nothing in the knowledge base matches that.")
        lines = [f"{hit.score:.2f}  {hit.chunk.heading}  {hit.chunk.link}" for hit in hits]
        return _info("\n".join(lines))

    def _knowledge(self) -> KnowledgeEditor:
        if self.desk.knowledge is None:
            raise HelplineError("the knowledge base is not available in this process")
        return self.desk.knowledge


def _info(text: str, ticket: int | None = None) -> Reply:
    return Reply(ReplyKind.INFO, text, ticket=ticket)
