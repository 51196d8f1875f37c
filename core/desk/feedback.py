"""Votes on the desk's answers: one per answer, the customer's last vote standing."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from core.messages import Reply, ReplyKind
from core.tickets.records import Role

if TYPE_CHECKING:
    from core.desk.context import Desk
    from core.messages import Address
    from core.tickets.records import ConversationMessage


def answer_key(answer: ConversationMessage) -> str:
    """A short name for one answer within its thread: the same answer, however often its buttons are pressed."""
    url = answer.citation.url if answer.citation is not None else ""
    return hashlib.sha256(f"{answer.at.isoformat()}\n{url}\n{answer.text}".encode()).hexdigest()[:32]


async def last_answer(desk: Desk, address: Address) -> tuple[ConversationMessage, ConversationMessage] | None:
    """The thread's latest answer from the docs and the question before it, while no ticket holds them."""
    history = await desk.stores.conversations.conversation(address, limit=desk.policy.history_limit)
    answered = next((m for m in reversed(history) if m.role is Role.BOT and m.citation is not None), None)
    question = next((m for m in reversed(history) if m.role is Role.CUSTOMER and m.text), None)
    if answered is None or question is None:
        return None
    return answered, question


async def helpful(desk: Desk, address: Address) -> Reply:
    """Count the latest answer as a self-service resolution, once however often it is pressed."""
    found = await last_answer(desk, address)
    if found is None or found[0].citation is None:
        return Reply(ReplyKind.INFO, "There is no answer here to rate yet.")
    answered, question = found
    url = answered.citation.url if answered.citation is not None else ""
    stats = desk.stores.statistics
    await stats.record_deflection(address, question.text, url, desk.clock.now(), answer=answer_key(answered))
    return Reply(ReplyKind.INFO, "Glad that helped!", intent=question.intent)


async def unhelpful(desk: Desk, address: Address) -> None:
    """The customer wants more than the latest answer (Not helpful, a person): it no longer counts as resolved."""
    found = await last_answer(desk, address)
    if found is not None:
        await desk.stores.statistics.withdraw_deflection(address, answer_key(found[0]))
