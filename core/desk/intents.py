"""``intent N NAME``: a moderator says what a ticket is really about.

The ticket's intent changes (with an audit event: old → new, by whom), and its customer's question is kept
with the corrected intent as a labelled example, which ``helpline intents retrain`` trains the head on.
A ticket corrected again keeps only its latest example.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.desk.assignment import log_change, ticket_of
from core.desk.context import actor_of
from core.messages import Reply, ReplyKind
from core.tickets.records import Role, TicketChange
from core.understanding.ports import IntentExample

if TYPE_CHECKING:
    from collections.abc import Sequence

    from core.desk.context import Desk
    from core.messages import Inbound
    from core.tickets.records import ConversationMessage, Ticket

USAGE = "Usage: intent N NAME"


async def correct_intent(desk: Desk, message: Inbound, number: int, name: str) -> Reply:
    """Give ticket ``number`` the intent ``name`` and keep its question as an example of it."""
    ticket = await ticket_of(desk, number)
    known = intent_names(desk)
    if name not in known:
        return Reply(
            ReplyKind.ERROR, f'There is no intent "{name}". Intents: {", ".join(known)}. {USAGE}', ticket=number
        )
    question = customer_question(ticket, await desk.stores.conversations.messages(number))
    example = IntentExample(number, question, name, actor_of(message), desk.clock.now())
    if ticket.intent != name:
        detail = f"{ticket.intent or 'none'} → {name}"
        await log_change(desk, message, ticket, TicketChange(intent=name), "intent", detail)
    replaced = await desk.stores.intent_examples.keep(example)
    was = f" (was {ticket.intent or 'none'})" if ticket.intent != name else " (it already was)"
    kept = "replaces its earlier example" if replaced else "is kept as an example of it"
    return Reply(
        ReplyKind.INFO,
        f"Ticket #{number} is now {name}{was}; its question {kept} for the next retrain.",
        ticket=number,
    )


def intent_names(desk: Desk) -> list[str]:
    """The intents a ticket may be given, as the catalog lists them."""
    return [intent.name for intent in desk.catalog.intents]


def customer_question(ticket: Ticket, messages: Sequence[ConversationMessage]) -> str:
    """What the customer asked: their last message up to the ticket's opening, else their first, else its subject."""
    asked = [m for m in messages if m.role is Role.CUSTOMER and m.text.strip()]
    opening = [m for m in asked if m.at <= ticket.created_at]
    if opening:
        return opening[-1].text
    return asked[0].text if asked else ticket.subject
