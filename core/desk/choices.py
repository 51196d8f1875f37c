"""What customers pick under the desk's replies: votes on answers, a ticket from the thread, and which
conversation a message waiting for a choice belongs to."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import TYPE_CHECKING

from core.desk import feedback
from core.desk.context import actor_of
from core.desk.gap_notes import note_rejection
from core.messages import Action, Choice, ChoiceMessage, Reply, ReplyKind, not_offered
from core.tickets.records import ConversationMessage, Role, TicketEvent, TicketStatus
from core.understanding.urgency import message_priority, readable_urgency

if TYPE_CHECKING:
    from core.desk.context import Desk
    from core.desk.conversation import Conversation
    from core.understanding.understander import Understanding


class Choices:
    """Handles the choices customers pick; the conversation does what they lead to."""

    def __init__(self, desk: Desk, conversation: Conversation) -> None:
        self.desk = desk
        self.conversation = conversation

    async def choose(self, message: ChoiceMessage) -> Sequence[Reply]:
        """The customer picked one of a reply's choices: it was helpful, or they want a person."""
        if message.action is Action.HELPFUL:
            return [await feedback.helpful(self.desk, message.address)]
        if message.action is Action.ADD_TO_TICKET:
            return await self._add_waiting(message)
        if message.action is Action.NEW_QUESTION:
            return await self._new_question(message)
        voted = None
        if message.action in (Action.NOT_HELPFUL, Action.HUMAN):
            voted = await feedback.unhelpful(self.desk, message.address, vote=message.action is Action.NOT_HELPFUL)
            await note_rejection(self.desk, message, voted)  # before the ticket: a person asked for is a gap
        return feedback.noted(await self._ticket_from_thread(message, message.action), voted)

    async def _waiting(self, message: ChoiceMessage) -> tuple[ConversationMessage, Understanding] | None:
        """The chooser's latest message still on no ticket (the one the choice is about), understood again."""
        d = self.desk
        history = await d.stores.conversations.conversation(message.address, limit=d.policy.history_limit)
        mine = [m for m in history if m.role is Role.CUSTOMER and m.author_id == message.author.id and m.text]
        if not mine:
            return None
        understanding = await asyncio.to_thread(d.understander.understand, mine[-1].raw or mine[-1].text)
        return mine[-1], await feedback.reranked(d, understanding)

    async def _add_waiting(self, message: ChoiceMessage) -> list[Reply]:
        """ "Add to ticket #N": the waiting message joins ticket N, reopening it if it was resolved."""
        d = self.desk
        ticket = await d.stores.tickets.get(message.ticket) if message.ticket is not None else None
        if ticket is None or ticket.address != message.address:
            return [not_offered(Choice("", Action.ADD_TO_TICKET, message.ticket).value)]
        waiting = await self._waiting(message)
        if waiting is None:
            return [Reply(ReplyKind.INFO, f"There is no message here waiting to join ticket #{ticket.number}.")]
        reopened = ticket.status is TicketStatus.RESOLVED
        if reopened:
            ticket = await self.conversation.reopen(ticket, message, "the customer said the problem is back")
        elif not ticket.status.active:
            text = f"Ticket #{ticket.number} is closed, so nothing can join it. Ask it as a new question instead."
            return [Reply(ReplyKind.INFO, text, choices=(Choice("New question", Action.NEW_QUESTION),))]
        await d.stores.conversations.attach_message(waiting[0], ticket.number)
        return await self.conversation.join(ticket, message, waiting[1], reopened=reopened)

    async def _new_question(self, message: ChoiceMessage) -> list[Reply]:
        """ "New question": the waiting message starts a conversation of its own."""
        waiting = await self._waiting(message)
        if waiting is None:
            return [Reply(ReplyKind.INFO, "There is no question here waiting; just type it.")]
        return await self.conversation.start(message, waiting[1])

    async def _ticket_from_thread(self, message: ChoiceMessage, action: Action) -> list[Reply]:
        """Not helpful, Talk to a human or Open a ticket: a ticket carrying the conversation so far."""
        d = self.desk
        active = await d.stores.tickets.active_ticket_for(message.address)
        history = await d.stores.conversations.conversation(message.address, limit=d.policy.history_limit)
        question = next((m for m in reversed(history) if m.role is Role.CUSTOMER and m.text), None)
        if active is not None and question is None:  # a question on no ticket yet (a new one) may still get its own
            return [
                Reply(ReplyKind.INFO, f"This conversation already has ticket #{active.number}.", ticket=active.number)
            ]
        if question is None:
            return [Reply(ReplyKind.INFO, "Tell me what you need help with first, and I'll open a ticket for it.")]
        spec = d.catalog.get(question.intent) if question.intent else None
        text = question.text  # a question about an incident's topic is not that incident; words anyone reads count
        base = message_priority(text, spec.base_priority) if spec is not None else readable_urgency(text)
        category = spec.category if spec is not None else None
        reply = await self.conversation.open_ticket(message, question.text, question.intent, base, category)
        if action is Action.NOT_HELPFUL and reply.ticket is not None:
            event = TicketEvent(reply.ticket, d.clock.now(), actor_of(message), "answer_not_helpful")
            await d.stores.tickets.add_event(event)
        return [reply]
