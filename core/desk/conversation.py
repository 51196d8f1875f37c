"""The customer side of the desk: answers, tickets, follow-ups and the choices under replies."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from core.calls.wording import asks_for_call
from core.desk.agents import AgentDesk
from core.desk.calls import CallDesk
from core.desk.context import Desk, actor_of
from core.desk.feedback import reranked
from core.desk.gap_notes import note_replies
from core.desk.limits import ticket_refusal
from core.desk.opening import resolved_for, routing_rules, subject_of, ticket_draft, truncation_note
from core.desk.people import membership
from core.desk.requests import FEATURE_INTENT, RequestDesk
from core.desk.topics import Topic, compare, problem_is_back
from core.messages import (
    Action,
    Choice,
    Citation,
    Inbound,
    IncomingMessage,
    Reply,
    ReplyKind,
    bounded_files,
)
from core.sla.deadlines import reprioritised
from core.tickets.records import (
    ConversationMessage,
    Priority,
    Role,
    Ticket,
    TicketChange,
    TicketEvent,
    TicketStatus,
    raw_bytes,
)
from core.understanding.handoff import handoff_note
from core.understanding.intents import Handling
from core.understanding.routing import Decision, Route, decide
from core.understanding.smalltalk import smalltalk_reply
from core.understanding.understander import Understanding
from core.wording import acknowledgement, extract, served_elsewhere

if TYPE_CHECKING:
    pass

ANSWER_CHOICES = (
    Choice("Helpful", Action.HELPFUL),
    Choice("Not helpful", Action.NOT_HELPFUL),
    Choice("Talk to a human", Action.HUMAN),
)
OFFER_TICKET = (Choice("Open a ticket", Action.OPEN_TICKET),)
BOT_ID = "helpline"


class Conversation:
    """Handles what customers write and the choices they pick."""

    def __init__(self, desk: Desk, requests: RequestDesk | None = None) -> None:
        self.desk = desk
        self.requests = requests or RequestDesk(desk)
        self.calls = CallDesk(desk)
        self.agents = AgentDesk(desk)

    async def handle(self, message: IncomingMessage) -> Sequence[Reply]:
        """Answer, open a ticket, add to the thread's ticket, or ask which of those the customer means."""
        d = self.desk
        understanding = await reranked(d, await asyncio.to_thread(d.understander.understand, message.text))
        latest = await d.stores.tickets.latest_ticket_for(message.address)  # also the active one, mostly: one read
        stale = latest is not None and not latest.status.active
        active = await d.stores.tickets.active_ticket_for(message.address) if stale else latest
        if active is not None:
            topic = Topic.SAME if self._is_agent(active, message) else await self._topic(active, understanding)
            if topic is Topic.SAME:
                return await self._follow_up(active, message, understanding)
            if topic is Topic.UNSURE:
                return await self._ask(active, message, understanding)
        elif (resolved := resolved_for(message, latest)) is not None:
            if problem_is_back(understanding.text) or message.platform in d.policy.one_topic_platforms:
                return await self._follow_up(await self.reopen(resolved, message), message, understanding, True)
            if await self._topic(resolved, understanding, after_resolution=True) is not Topic.NEW:
                return await self._ask(resolved, message, understanding)
        if not await d.stores.conversations.record_message(self._kept(message, understanding, Role.CUSTOMER)):
            return []  # the platform delivered this message twice
        return await self.start(message, understanding)

    async def _topic(self, ticket: Ticket, understanding: Understanding, *, after_resolution: bool = False) -> Topic:
        """How a customer's message stands to ``ticket``; a thread about one thing (an issue) has one topic."""
        d = self.desk
        if ticket.address.platform in d.policy.one_topic_platforms:
            return Topic.SAME
        if understanding.empty:  # nothing to compare: kept on the open ticket, or asked to be typed
            return Topic.NEW if after_resolution else Topic.SAME
        spec = d.catalog.get(understanding.prediction.intent) if understanding.prediction.intent else None
        if after_resolution and spec is not None and spec.handling is Handling.GREETING:
            return Topic.NEW  # "thanks!" after a resolution is a thank-you, not a reopening
        earlier = await asyncio.to_thread(d.understander.understand, ticket.subject)
        return compare(ticket.intent, earlier, understanding, d.catalog, d.policy.answer_score)

    async def _ask(self, ticket: Ticket, message: IncomingMessage, understanding: Understanding) -> list[Reply]:
        """Keep the message aside and ask whether it belongs to ``ticket`` or is a new question."""
        d = self.desk
        if not await d.stores.conversations.record_message(self._kept(message, understanding, Role.CUSTOMER)):
            return []
        n = ticket.number
        state = "is still open" if ticket.status.active else "was resolved"
        text = f"Ticket #{n} ({ticket.subject}) {state}. Is this about the same problem, or a new question?"
        choices = (Choice(f"Add to ticket #{n}", Action.ADD_TO_TICKET, n), Choice("New question", Action.NEW_QUESTION))
        replies = [Reply(ReplyKind.INFO, text, choices=choices, intent=understanding.prediction.intent, ticket=n)]
        await d.stores.conversations.record_message(self._bot_message(message, replies[0], None))
        return replies + truncation_note(understanding)

    async def start(self, message: Inbound, understanding: Understanding) -> list[Reply]:
        """A new conversation from a kept message: the docs' answer, a ticket, or an offer to open one."""
        d = self.desk
        if understanding.empty:  # a file alone is kept, and its sender asked what they need
            files = len(message.files) if isinstance(message, IncomingMessage) else 0
            said = f"I kept the {f'{files} files' if files > 1 else 'file'} you sent." if files else ""
            said = said or "That message had no text I could read."
            return [Reply(ReplyKind.INFO, f"{said} Please type your question.")]
        replies = await self._respond(message, understanding)
        await note_replies(d, message, understanding, replies)
        replies += truncation_note(understanding)
        ticket = next((reply.ticket for reply in replies if reply.ticket is not None), None)
        for reply in replies:
            await d.stores.conversations.record_message(self._bot_message(message, reply, ticket))
        return replies

    async def _respond(self, message: Inbound, understanding: Understanding) -> list[Reply]:
        language = message.language if isinstance(message, IncomingMessage) else ""
        if offer := await self._call_asked(message, understanding, 0):  # "can we get on a call?"
            return offer
        decision = decide(understanding, self.desk.catalog, routing_rules(self.desk.policy), language)
        intent = decision.intent
        if decision.route is Route.UNSURE:
            text = "I'm not sure I can help with that. If you need a person to look at it, I can open a ticket."
            return [Reply(ReplyKind.INFO, text, choices=OFFER_TICKET, intent=None)]
        if decision.route is Route.GREETING:
            return [Reply(ReplyKind.INFO, smalltalk_reply(understanding.text, decision.language), intent=intent)]
        answer = self._answer(understanding)
        if decision.route is Route.TICKET:
            opened = await self.open_ticket(
                message, understanding.text, intent, decision.priority, decision.category, decision
            )
            replies = [opened]
            if answer is not None:  # a known problem: the docs may help while a person looks at it
                replies.append(
                    Reply(ReplyKind.ANSWER, "Meanwhile, this may help:\n" + answer[0], answer[1], (), intent=intent)
                )
            return replies
        if answer is None and intent == FEATURE_INTENT:  # a wish the docs do not cover: offer to record it
            return [replace(await self.requests.offer(message, understanding.text), intent=intent)]
        if answer is None:
            text = "I couldn't find an answer to that in the docs. I can open a ticket so a person can help."
            return [Reply(ReplyKind.INFO, text, choices=OFFER_TICKET, intent=intent)]
        return [Reply(ReplyKind.ANSWER, answer[0], answer[1], ANSWER_CHOICES, intent=intent)]

    def _answer(self, understanding: Understanding) -> tuple[str, Citation] | None:
        """The best passage's extract and citation, if it is close enough to be the answer."""
        if not understanding.hits or understanding.hits[0].score < self.desk.policy.answer_score:
            return None
        chunk = understanding.hits[0].chunk
        text = f"{chunk.heading}\n{extract(chunk.text, self.desk.policy.extract_chars)}"
        return text, Citation(chunk.title, chunk.link, chunk.chunk_id)

    async def open_ticket(
        self,
        message: Inbound,
        subject: str,
        intent: str | None,
        base: Priority,
        category: str | None,
        decision: Decision | None = None,
    ) -> Reply:
        """Open a ticket for this thread (carrying its conversation so far) and word the promise.

        A member past the ticket limit gets a refusal instead, offering to try again later; the
        thread's messages stay kept, so a ticket opened from it then still carries them.
        """
        d = self.desk
        refusal = await ticket_refusal(d, message)
        if refusal is not None:
            return Reply(ReplyKind.INFO, refusal, choices=OFFER_TICKET, intent=intent)
        member = await membership(d, message)
        priority = d.tiers.priority(member.tier, base)
        draft = ticket_draft(message, member, priority, subject_of(subject), intent, d.clock.now())
        if decision is not None:  # what the staff see beside the ticket: the language and a frustrated customer
            draft = replace(draft, language=decision.language, frustrated=decision.frustrated)
        ticket = await d.stores.tickets.open_ticket(draft, actor_of(message))
        await self.agents.assign_new(ticket, member.customer)  # routed tiers: to an able, free agent
        ack = acknowledgement(ticket, member.tier, category)
        if decision is not None and (note := handoff_note(decision)):
            ack = f"{note} {ack}"
        if member.elsewhere is not None:  # their tier's promise applies on its channels, not here
            ack += " " + served_elsewhere(member.tier, member.elsewhere)
        offers = d.calls.policy((member.elsewhere or member.tier).name).offers_calls
        choices = (Choice("Book a call", Action.OFFER_CALL, ticket.number),) if offers else ()
        return Reply(ReplyKind.TICKET, ack, choices=choices, intent=intent, ticket=ticket.number)

    def _is_agent(self, ticket: Ticket, message: Inbound) -> bool:
        """A moderator writing in someone else's ticket's thread answers it."""
        d = self.desk
        return d.moderators.allows(message.platform, message.author) and message.author.id != ticket.requester_id

    async def _follow_up(
        self, ticket: Ticket, message: IncomingMessage, understanding: Understanding, reopened: bool = False
    ) -> list[Reply]:
        """A message in a thread with an open ticket joins the ticket."""
        agent = self._is_agent(ticket, message)
        role = Role.AGENT if agent else Role.CUSTOMER
        kept = self._kept(message, understanding, role, ticket.number)
        if not await self.desk.stores.conversations.record_message(kept):
            return []
        return await self.join(ticket, message, understanding, reopened=reopened, agent=agent)

    async def join(
        self, ticket: Ticket, message: Inbound, understanding: Understanding, *, reopened: bool, agent: bool = False
    ) -> list[Reply]:
        """The ticket's side of a message that joined it: first response, reopening, priority, the docs' answer."""
        d = self.desk
        now = d.clock.now()
        if agent:  # a human answered in the thread itself: that is the first response
            change = TicketChange(
                status=TicketStatus.WAITING,
                first_response_at=now if ticket.first_response_at is None else None,
            )
            await d.stores.tickets.update(
                ticket.number, change, TicketEvent(ticket.number, now, actor_of(message), "replied")
            )
            return []
        change, detail = self._customer_change(ticket, understanding)
        event = TicketEvent(ticket.number, now, actor_of(message), "customer_message", detail)
        updated = await d.stores.tickets.update(ticket.number, change, event)
        text = f"Ticket #{ticket.number} is open again; your message was added." if reopened else ""
        text = text or f"Added to ticket #{ticket.number}."
        if updated.priority != ticket.priority:
            text += f" Its priority is now {updated.priority}."
        intent = understanding.prediction.intent
        replies = [Reply(ReplyKind.TICKET, text, intent=intent, ticket=ticket.number)]
        answer = self._answer(understanding) if intent and d.catalog.get(intent).handling is Handling.ANSWER else None
        if answer is not None:  # a question while waiting: the docs answer it now, the ticket keeps it for a person
            replies.append(Reply(ReplyKind.ANSWER, answer[0], answer[1], intent=intent, ticket=ticket.number))
            await d.stores.conversations.record_message(self._bot_message(message, replies[-1], ticket.number))
        return replies + truncation_note(understanding) + await self._call_asked(message, understanding, ticket.number)

    async def _call_asked(self, message: Inbound, understanding: Understanding, number: int) -> list[Reply]:
        """Call slots when the words ask for a call and the author's tier has calls; else nothing."""
        if not asks_for_call(understanding.text):
            return []
        member = await membership(self.desk, message)
        if not self.desk.calls.policy((member.elsewhere or member.tier).name).offers_calls:
            return []  # the tier has no calls: the message is handled as any other
        return [await self.calls.offer(message, number)]

    async def reopen(self, ticket: Ticket, message: Inbound, why: str = "the customer wrote again") -> Ticket:
        """Reopen a resolved ticket, as the resolution notice promises when the problem is back."""
        d = self.desk
        change = TicketChange(status=TicketStatus.OPEN, clear_resolved_at=True)
        event = TicketEvent(ticket.number, d.clock.now(), actor_of(message), "reopened", why)
        return await d.stores.tickets.update(ticket.number, change, event)

    def _customer_change(self, ticket: Ticket, understanding: Understanding) -> tuple[TicketChange, str]:
        """Waiting tickets reopen; a more urgent follow-up raises the priority (never lowers it).

        A customer who turns frustrated raises it one level, once, and flags the ticket for the staff.
        """
        status = TicketStatus.OPEN if ticket.status is TicketStatus.WAITING else None
        turned_frustrated = understanding.frustration.frustrated and not ticket.frustrated
        if understanding.priority is None and not turned_frustrated:
            return TicketChange(status=status), ""
        # The ticket's tier, not the writer's: someone else in the thread does not change the SLA.
        try:
            tier = self.desk.tiers.get(ticket.tier)
        except KeyError:  # the tier was removed from tiers.yaml since: keep the ticket as it is
            return TicketChange(status=status), ""
        raised = self.desk.tiers.priority(tier, understanding.priority) if understanding.priority else ticket.priority
        if turned_frustrated:
            raised = min(raised, ticket.priority.raised(), key=lambda priority: priority.rank)
        if raised.rank >= ticket.priority.rank:
            return TicketChange(status=status, frustrated=turned_frustrated or None), ""
        change = replace(reprioritised(ticket, tier.targets, raised, status), frustrated=turned_frustrated or None)
        return change, f"priority {ticket.priority} → {raised}" + (", frustrated" if turned_frustrated else "")

    def _kept(
        self, message: IncomingMessage, understanding: Understanding, role: Role, ticket: int | None = None
    ) -> ConversationMessage:
        """The message as stored: cleaned text for reading, the exact original alongside."""
        return ConversationMessage(
            address=message.address,
            author_id=message.author.id,
            author_name=message.author.name,
            role=role,
            text=understanding.text,
            at=self.desk.clock.now(),
            raw=raw_bytes(message.text),
            intent=understanding.prediction.intent,
            external_id=message.message_id,
            ticket=ticket,
            files=bounded_files(message.files),
        )

    def _bot_message(self, message: Inbound, reply: Reply, ticket: int | None) -> ConversationMessage:
        return ConversationMessage(
            address=message.address,
            author_id=BOT_ID,
            author_name="Helpline",
            role=Role.BOT,
            text=reply.text,
            at=self.desk.clock.now(),
            intent=reply.intent,
            citation=reply.citation,
            ticket=ticket,
        )
