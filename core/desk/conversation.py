"""The customer side of the desk: answers, tickets, follow-ups and the choices under replies."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from core.desk.context import Desk, actor_of
from core.desk.limits import ticket_refusal
from core.messages import Action, Choice, ChoiceMessage, Citation, Inbound, IncomingMessage, Reply, ReplyKind
from core.sla.deadlines import deadlines, reprioritised
from core.tickets.records import (
    ConversationMessage,
    NewTicket,
    Priority,
    Role,
    Ticket,
    TicketChange,
    TicketEvent,
    TicketStatus,
    raw_bytes,
)
from core.understanding.intents import Handling
from core.understanding.understander import Understanding
from core.wording import acknowledgement, extract, served_elsewhere

if TYPE_CHECKING:
    from core.tiers import Membership

ANSWER_CHOICES = (
    Choice("Helpful", Action.HELPFUL),
    Choice("Not helpful", Action.NOT_HELPFUL),
    Choice("Talk to a human", Action.HUMAN),
)
OFFER_TICKET = (Choice("Open a ticket", Action.OPEN_TICKET),)
BOT_ID = "helpline"
SUBJECT_CHARS = 120


class Conversation:
    """Handles what customers write and the choices they pick."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk

    async def handle(self, message: IncomingMessage) -> Sequence[Reply]:
        """Answer, open a ticket, or add to the thread's open ticket."""
        d = self.desk
        understanding = await asyncio.to_thread(d.understander.understand, message.text)
        active = await d.stores.tickets.active_ticket_for(message.address)
        reopened = active is None and (active := await self._reopened(message)) is not None
        if active is not None:
            return await self._follow_up(active, message, understanding, reopened=reopened)
        if not await d.stores.conversations.record_message(self._kept(message, understanding, Role.CUSTOMER)):
            return []  # the platform delivered this message twice
        if understanding.empty:
            return [Reply(ReplyKind.INFO, "That message had no text I could read. Please type your question.")]
        replies = await self._respond(message, understanding)
        if understanding.truncated:
            note = (
                f"Your message was long, so I read only its first {len(understanding.text):,} characters; "
                "the whole message is kept."
            )
            replies.append(Reply(ReplyKind.INFO, note))
        ticket = next((reply.ticket for reply in replies if reply.ticket is not None), None)
        for reply in replies:
            await d.stores.conversations.record_message(self._bot_message(message, reply, ticket))
        return replies

    async def _respond(self, message: IncomingMessage, understanding: Understanding) -> list[Reply]:
        intent = understanding.prediction.intent
        spec = self.desk.catalog.get(intent) if intent is not None else None
        if spec is None:
            text = "I'm not sure I can help with that. If you need a person to look at it, I can open a ticket."
            return [Reply(ReplyKind.INFO, text, choices=OFFER_TICKET, intent=None)]
        if spec.handling is Handling.GREETING:
            text = (
                "You're welcome! Anything else, just ask."
                if "thank" in understanding.text.lower()
                else "Hi! Ask me about the product, or describe a problem and I'll get it to the team."
            )
            return [Reply(ReplyKind.INFO, text, intent=intent)]
        answer = self._answer(understanding)
        if spec.handling is Handling.TICKET:
            replies = [await self._open(message, understanding.text, intent, spec.base_priority, spec.category)]
            if answer is not None:  # a known problem: the docs may help while a person looks at it
                replies.append(
                    Reply(ReplyKind.ANSWER, "Meanwhile, this may help:\n" + answer[0], answer[1], (), intent=intent)
                )
            return replies
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
        return text, Citation(chunk.title, chunk.link)

    async def _open(
        self, message: Inbound, subject: str, intent: str | None, base: Priority, category: str | None
    ) -> Reply:
        """Open a ticket for this thread (carrying its conversation so far) and word the promise.

        A member past the ticket limit gets a refusal instead, offering to try again later; the
        thread's messages stay kept, so a ticket opened from it then still carries them.
        """
        d = self.desk
        refusal = await ticket_refusal(d, message)
        if refusal is not None:
            return Reply(ReplyKind.INFO, refusal, choices=OFFER_TICKET, intent=intent)
        member = d.tiers.resolve(message)
        priority = d.tiers.priority(member.tier, base)
        draft = ticket_draft(message, member, priority, _subject(subject), intent, d.clock.now())
        ticket = await d.stores.tickets.open_ticket(draft, actor_of(message))
        ack = acknowledgement(ticket, member.tier, category)
        if member.elsewhere is not None:  # their tier's promise applies on its channels, not here
            ack += " " + served_elsewhere(member.tier, member.elsewhere)
        return Reply(ReplyKind.TICKET, ack, intent=intent, ticket=ticket.number)

    async def _follow_up(
        self, ticket: Ticket, message: IncomingMessage, understanding: Understanding, *, reopened: bool = False
    ) -> list[Reply]:
        """A message in a thread with an open ticket joins the ticket."""
        d = self.desk
        agent = d.moderators.allows(message.platform, message.author) and message.author.id != ticket.requester_id
        role = Role.AGENT if agent else Role.CUSTOMER
        kept = self._kept(message, understanding, role, ticket.number)
        if not await d.stores.conversations.record_message(kept):
            return []
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
        return replies

    async def _reopened(self, message: IncomingMessage) -> Ticket | None:
        """A customer writing in the thread of a resolved ticket reopens it, as the resolution notice promises."""
        d = self.desk
        latest = await d.stores.tickets.latest_ticket_for(message.address)
        if latest is None or latest.status is not TicketStatus.RESOLVED or latest.requester_id != message.author.id:
            return None
        change = TicketChange(status=TicketStatus.OPEN, clear_resolved_at=True)
        event = TicketEvent(latest.number, d.clock.now(), actor_of(message), "reopened", "the customer wrote again")
        return await d.stores.tickets.update(latest.number, change, event)

    def _customer_change(self, ticket: Ticket, understanding: Understanding) -> tuple[TicketChange, str]:
        """Waiting tickets reopen; a more urgent follow-up raises the priority (never lowers it)."""
        status = TicketStatus.OPEN if ticket.status is TicketStatus.WAITING else None
        if understanding.priority is None:
            return TicketChange(status=status), ""
        # The ticket's tier, not the writer's: someone else in the thread does not change the SLA.
        try:
            tier = self.desk.tiers.get(ticket.tier)
        except KeyError:  # the tier was removed from tiers.yaml since: keep the ticket as it is
            return TicketChange(status=status), ""
        raised = self.desk.tiers.priority(tier, understanding.priority)
        if raised.rank >= ticket.priority.rank:
            return TicketChange(status=status), ""
        return reprioritised(ticket, tier.targets, raised, status), f"priority {ticket.priority} → {raised}"

    async def choose(self, message: ChoiceMessage) -> Sequence[Reply]:
        """The customer picked one of a reply's choices: it was helpful, or they want a person."""
        if message.action is Action.HELPFUL:
            return await self._helpful(message)
        return await self._ticket_from_thread(message, message.action)

    async def _helpful(self, message: ChoiceMessage) -> list[Reply]:
        d = self.desk
        history = await d.stores.conversations.conversation(message.address, limit=d.policy.history_limit)
        answered = next((m for m in reversed(history) if m.role is Role.BOT and m.citation is not None), None)
        question = next((m for m in reversed(history) if m.role is Role.CUSTOMER and m.text), None)
        if answered is None or answered.citation is None or question is None:
            return [Reply(ReplyKind.INFO, "There is no answer here to rate yet.")]
        await d.stores.statistics.record_deflection(
            message.address, question.text, answered.citation.url, d.clock.now()
        )
        return [Reply(ReplyKind.INFO, "Glad that helped!", intent=question.intent)]

    async def _ticket_from_thread(self, message: ChoiceMessage, action: Action) -> list[Reply]:
        """Not helpful, Talk to a human or Open a ticket: a ticket carrying the conversation so far."""
        d = self.desk
        active = await d.stores.tickets.active_ticket_for(message.address)
        if active is not None:
            return [
                Reply(ReplyKind.INFO, f"This conversation already has ticket #{active.number}.", ticket=active.number)
            ]
        history = await d.stores.conversations.conversation(message.address, limit=d.policy.history_limit)
        question = next((m for m in reversed(history) if m.role is Role.CUSTOMER and m.text), None)
        if question is None:
            return [Reply(ReplyKind.INFO, "Tell me what you need help with first, and I'll open a ticket for it.")]
        spec = d.catalog.get(question.intent) if question.intent else None
        base = spec.base_priority if spec is not None else Priority.MEDIUM
        reply = await self._open(message, question.text, question.intent, base, spec.category if spec else None)
        if action is Action.NOT_HELPFUL and reply.ticket is not None:
            event = TicketEvent(reply.ticket, d.clock.now(), actor_of(message), "answer_not_helpful")
            await d.stores.tickets.add_event(event)
        return [reply]

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
        )

    def _bot_message(self, message: IncomingMessage, reply: Reply, ticket: int | None) -> ConversationMessage:
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


def ticket_draft(
    message: Inbound, member: Membership, priority: Priority, subject: str, intent: str | None, now: datetime
) -> NewTicket:
    """The ticket a message's author opens now, with the deadlines their tier promises at ``priority``."""
    due = deadlines(member.tier.targets, priority, now)
    return NewTicket(
        customer=member.customer,
        tier=member.tier.name,
        address=message.address,
        requester_id=message.author.id,
        requester_name=message.author.name,
        subject=subject,
        intent=intent,
        priority=priority,
        created_at=now,
        first_response_due=due.first_response,
        resolution_due=due.resolution,
    )


def _subject(text: str) -> str:
    """A ticket subject from the customer's words: the first line, shortened."""
    first = text.strip().splitlines()[0] if text.strip() else "(no text)"
    return first if len(first) <= SUBJECT_CHARS else first[: SUBJECT_CHARS - 1].rstrip() + "…"
